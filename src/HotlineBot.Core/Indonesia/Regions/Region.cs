namespace HotlineBot.Core.Indonesia.Regions;

public enum RegionLevel { Province, Regency, District, Village }

/// <summary>A Kemendagri region: code with dots (<c>33.02.21</c>), name as in the decree, parent's code.</summary>
public sealed record Region(string Code, string Name, string? ParentCode, RegionLevel Level);
