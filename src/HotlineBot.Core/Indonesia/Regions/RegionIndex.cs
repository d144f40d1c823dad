using System.Globalization;
using System.Reflection;
using CsvHelper;

namespace HotlineBot.Core.Indonesia.Regions;

/// <summary>
/// Kemendagri region codes (Kepmendagri 300.2.2-2138/2025) plus the 2022 legacy regency and kecamatan codes a NIK may
/// still carry, from the embedded idn-area-data files (ODbL; see <c>data/NOTICE.md</c>). Villages load on first use.
/// </summary>
public sealed class RegionIndex
{
    private static readonly Lazy<RegionIndex> Shared = new(() => new RegionIndex());
    private readonly Dictionary<string, Region> _byCode = new(StringComparer.Ordinal);
    private readonly HashSet<string> _legacyCodes = new(StringComparer.Ordinal);
    private readonly Lazy<List<Region>> _villages;
    // Fixed once built: _byCode takes the villages later, on first use, and must not be walked meanwhile.
    private readonly List<Region> _provinces, _regencies, _districts;

    public static RegionIndex Default => Shared.Value;

    internal RegionIndex()
    {
        foreach (var r in Read("provinces.csv", RegionLevel.Province)) _byCode[r.Code] = r;
        foreach (var r in Read("regencies.csv", RegionLevel.Regency)) _byCode[r.Code] = r;
        foreach (var r in Read("districts.csv", RegionLevel.District)) _byCode[r.Code] = r;
        foreach (var r in Read("legacy-kepmendagri-050-145-2022/regencies.csv", RegionLevel.Regency).Concat(
                     Read("legacy-kepmendagri-050-145-2022/districts.csv", RegionLevel.District)))
            _legacyCodes.Add(r.Code);
        _provinces = _byCode.Values.Where(r => r.Level == RegionLevel.Province).ToList();
        _regencies = _byCode.Values.Where(r => r.Level == RegionLevel.Regency).ToList();
        _districts = _byCode.Values.Where(r => r.Level == RegionLevel.District).ToList();
        _villages = new(() =>
        {
            var villages = Read("villages.csv", RegionLevel.Village).ToList();
            lock (_byCode) foreach (var v in villages) _byCode[v.Code] = v;
            return villages;
        });
    }

    public IReadOnlyList<Region> Provinces => _provinces;
    public IReadOnlyList<Region> Regencies => _regencies;
    public IReadOnlyList<Region> Districts => _districts;
    public IReadOnlyList<Region> Villages => _villages.Value;

    public Region? Find(string dottedCode)
    {
        if (dottedCode.Length > 8) _ = _villages.Value;
        lock (_byCode) return _byCode.GetValueOrDefault(dottedCode);
    }

    /// <summary>True when the code is current or was valid under the 2022 decree (NIKs keep their first code).</summary>
    public bool IsKnown(string dottedCode) => Find(dottedCode) is not null || _legacyCodes.Contains(dottedCode);

    /// <summary><c>Karangrau, Kec. Sokaraja, Kab. Banyumas</c> for a village; <c>Kec. Sokaraja, Kab. Banyumas</c> for a district.</summary>
    public string Describe(Region region)
    {
        ArgumentNullException.ThrowIfNull(region);
        var parts = new List<string>();
        for (Region? r = region; r is not null && r.Level != RegionLevel.Province; r = r.ParentCode is null ? null : Find(r.ParentCode))
        {
            parts.Add(r.Level switch
            {
                RegionLevel.District => "Kec. " + r.Name,
                RegionLevel.Regency => r.Name.Replace("Kabupaten ", "Kab. ", StringComparison.Ordinal),
                _ => r.Name,
            });
        }
        return string.Join(", ", parts);
    }

    /// <summary>Dotted form of a code: <c>3302</c> → <c>33.02</c>, <c>330221</c> → <c>33.02.21</c>.</summary>
    public static string Dotted(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (code.Contains('.', StringComparison.Ordinal)) return code;
        return code.Length switch
        {
            4 => $"{code[..2]}.{code[2..]}",
            6 => $"{code[..2]}.{code[2..4]}.{code[4..]}",
            10 => $"{code[..2]}.{code[2..4]}.{code[4..6]}.{code[6..]}",
            _ => code,
        };
    }

    private static List<Region> Read(string file, RegionLevel level)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Regions/" + file)
            ?? throw new InvalidOperationException($"Embedded region file {file} is missing.");
        using var reader = new StreamReader(stream);
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        csv.Read();
        csv.ReadHeader();
        var rows = new List<Region>();
        while (csv.Read())
        {
            var parent = level == RegionLevel.Province ? null : Dotted(csv.GetField(1)!);
            rows.Add(new Region(Dotted(csv.GetField(0)!), csv.GetField(level == RegionLevel.Province ? 1 : 2)!, parent, level));
        }
        return rows;
    }
}
