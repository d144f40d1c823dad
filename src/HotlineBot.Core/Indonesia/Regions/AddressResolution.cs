namespace HotlineBot.Core.Indonesia.Regions;

/// <summary>A place an address was resolved to: always a kecamatan (routing needs no more), a village when named.</summary>
public sealed record AddressMatch(string DistrictCode, string? VillageCode, string Label);

/// <summary>What <see cref="AddressResolver"/> made of a typed address: one match, several to ask about, or none.</summary>
public sealed record AddressResolution(AddressMatch? Match, IReadOnlyList<AddressMatch> Options)
{
    public static readonly AddressResolution None = new(null, []);
    public bool IsAmbiguous => Match is null && Options.Count > 1;
}
