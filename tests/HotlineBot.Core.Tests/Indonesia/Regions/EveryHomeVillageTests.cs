using HotlineBot.Core.Indonesia.Regions;

namespace HotlineBot.Core.Tests.Indonesia.Regions;

/// <summary>Every village of the office's regency, written the way a reporter is told to write it ("Ds X RT 2/3 Kec Y"),
/// resolves to that village: no citizen of the regency is asked again for an address that is right.</summary>
public sealed class EveryHomeVillageTests
{
    [Test]
    public void EveryVillageOfBanyumas_WithItsKecamatan_IsFound()
    {
        var resolver = new AddressResolver(RegionIndex.Default, homeRegency: "33.02");
        var districts = RegionIndex.Default.Districts.Where(d => d.ParentCode == "33.02").ToDictionary(d => d.Code);
        var missed = new List<string>();
        foreach (var village in RegionIndex.Default.Villages.Where(v => v.ParentCode is { } parent && districts.ContainsKey(parent)))
        {
            var address = $"Ds {village.Name} RT 2/3 Kec {districts[village.ParentCode!].Name}";
            var result = resolver.Resolve(address);
            if (result.Match?.VillageCode != village.Code)
                missed.Add($"{address} → {result.Match?.VillageCode ?? "none"} ({string.Join(" | ", result.Options.Select(o => o.Label))})");
        }
        Assert.That(missed, Is.Empty);
    }
}
