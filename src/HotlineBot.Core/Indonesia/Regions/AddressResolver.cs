using System.Text;
using F23.StringSimilarity;

namespace HotlineBot.Core.Indonesia.Regions;

/// <summary>
/// Resolves an address as people type it (<c>ds karangrau rt2/3 kec sokaraja bms</c>, <c>Kel. Gambir, Jakarta Pusat</c>)
/// to a kecamatan and, when named, a village (DOMAIN.md §4.5). Names are matched as whole words: exactly anywhere in
/// Indonesia, and with small typos inside the office's own regency. A village that exists in several kecamatan is
/// settled by the kecamatan or regency named, then by the office's regency; otherwise the caller asks which one.
/// </summary>
public sealed class AddressResolver
{
    private const int MaxOptions = 5;
    private static readonly Damerau Typos = new();
    private static readonly HashSet<string> VillageMarkers = ["ds", "desa", "kel", "kelurahan", "kampung", "kp", "kmp", "gampong", "nagari", "dusun", "dsn"];
    private static readonly HashSet<string> DistrictMarkers = ["kec", "kecamatan", "distrik"];
    private static readonly HashSet<string> RegencyMarkers = ["kab", "kabupaten", "kota", "kodya", "kotamadya"];
    private readonly RegionIndex _regions;
    private readonly string? _homeRegency;
    private readonly Lazy<Dictionary<string, List<Region>>> _villagesByName;
    private readonly Dictionary<string, List<Region>> _districtsByName;
    private readonly Dictionary<string, List<Region>> _regenciesByName;

    /// <param name="homeRegency">The office's kabupaten/kota (<c>33.02</c>): preferred, and the only place where
    /// misspelt names are looked for.</param>
    public AddressResolver(RegionIndex regions, string? homeRegency)
    {
        _regions = regions ?? throw new ArgumentNullException(nameof(regions));
        _homeRegency = homeRegency;
        _districtsByName = ByName(regions.Districts);
        _regenciesByName = ByName(regions.Regencies.Where(r => r.Code.Length == 5));
        _villagesByName = new(() => ByName(regions.Villages));
    }

    public AddressResolution Resolve(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sections = Sections(text);
        var regencies = Find(_regenciesByName, sections, RegionLevel.Regency, fuzzyWithin: null);
        var districts = Find(_districtsByName, sections, RegionLevel.District, fuzzyWithin: HomeDistricts);
        // Words after a village marker name villages anywhere; other words ("jl merdeka", "dekat pasar") count as a
        // village only inside the office's regency or under the kecamatan named.
        var marked = sections.Where(s => s.Level == RegionLevel.Village).ToList();
        var villages = Find(_villagesByName.Value, marked, RegionLevel.Village, fuzzyWithin: HomeVillages)
            .Concat(Find(_villagesByName.Value, sections.Where(s => s.Level != RegionLevel.Village).ToList(), RegionLevel.Village, fuzzyWithin: HomeVillages)
                .Where(v => InHome(v) || districts.Exists(d => v.ParentCode == d.Code)))
            .Distinct().ToList();

        // A regency or kecamatan written after its own marker (kab, kec) bounds what is below it: a village outside it is
        // another place with the same name, not this one. A regency's name can also be a kecamatan's or a village's, or
        // part of one (Kec. Karanganyar in Purbalingga; Desa Karanganyar in Banyumas; Ds Jepara Kulon in Cilacap): one
        // not written after "kab" whose words are those of a kecamatan or village named here is that place, not a bound.
        regencies = regencies.Where(r => NamedAfterMarker(sections, r, RegionLevel.Regency)
            || !(villages.Exists(v => IsWordsOf(r, v)) || districts.Exists(d => IsWordsOf(r, d)))).ToList();
        if (regencies.Count > 0)
        {
            districts = Narrow(districts, d => regencies.Exists(r => d.ParentCode == r.Code));
            villages = villages.Where(v => regencies.Exists(r => RegencyOf(v) == r.Code)).ToList();
        }
        var bounds = districts.Where(d => NamedAfterMarker(sections, d, RegionLevel.District)).ToList();
        if (bounds.Count > 0)
        {
            var inside = villages.Where(v => bounds.Exists(d => v.ParentCode == d.Code)).ToList();
            if (inside.Count > 0 || bounds.Count == 1) villages = inside;
        }
        villages = Narrow(villages, InHome);
        districts = Narrow(districts, InHome);
        // A kecamatan named without its marker only prefers its own villages: "Ds Cibinong" is the Cibinong in Kec.
        // Cibinong, but "Ds Tanoh Alas" the one village of that name, outside Kec. Tanoh Alas.
        villages = Narrow(villages, v => districts.Exists(d => v.ParentCode == d.Code && !bounds.Contains(d)));

        if (villages.Count == 1) return One(villages[0]);
        if (villages.Count > 1)
            return new AddressResolution(null, villages.Take(MaxOptions).Select(v => new AddressMatch(v.ParentCode!, v.Code, _regions.Describe(v))).ToList());
        if (districts.Count == 1) return new AddressResolution(new AddressMatch(districts[0].Code, null, _regions.Describe(districts[0])), []);
        if (districts.Count > 1)
            return new AddressResolution(null, districts.Take(MaxOptions).Select(d => new AddressMatch(d.Code, null, _regions.Describe(d))).ToList());
        return AddressResolution.None;
    }

    private AddressResolution One(Region village) =>
        new(new AddressMatch(village.ParentCode!, village.Code, _regions.Describe(village)), []);

    /// <summary>Keeps the items that pass when some do; all of them when none do.</summary>
    private static List<Region> Narrow(List<Region> items, Func<Region, bool> keep)
    {
        var kept = items.Where(keep).ToList();
        return kept.Count > 0 ? kept : items;
    }

    private bool InHome(Region r) => _homeRegency is not null && r.Code.StartsWith(_homeRegency + ".", StringComparison.Ordinal);
    private static string RegencyOf(Region village) => village.Code[..5];
    private IEnumerable<Region> HomeDistricts => _homeRegency is null ? [] : _regions.Districts.Where(InHome);
    private IEnumerable<Region> HomeVillages => _homeRegency is null ? [] : _regions.Villages.Where(InHome);

    /// <summary>Regions of <paramref name="level"/> whose name is a run of 1–4 words of a section that may name that
    /// level. Misspelt names (one edit; two for long names) are looked for only among <paramref name="fuzzyWithin"/>.</summary>
    private static List<Region> Find(Dictionary<string, List<Region>> byName, List<Section> sections, RegionLevel level, IEnumerable<Region>? fuzzyWithin)
    {
        // Words right after this level's own marker win over words that merely could name it.
        var found = Exact(byName, sections.Where(s => s.Level == level));
        if (found.Count == 0) found = Exact(byName, sections.Where(s => s.Level is null || s.Level >= level));
        if (found.Count > 0 || fuzzyWithin is null) return found.Distinct().ToList();
        var phrases = sections.Where(s => s.Level is null || s.Level >= level).SelectMany(s => Phrases(s.Words)).ToList();
        var candidates = phrases.Where(p => p.Length >= 5).ToList();
        foreach (var region in fuzzyWithin)
        {
            var name = Key(region.Name);
            var allowed = name.Length >= 9 ? 2 : 1;
            if (candidates.Exists(p => Math.Abs(p.Length - name.Length) <= allowed && Typos.Distance(p, name) <= allowed)) found.Add(region);
        }
        return found.Distinct().ToList();
    }

    /// <summary>Regions named exactly by a run of words, the longest runs first: words inside a longer name found are not
    /// read again as a shorter one ("Ds Klapagading Kulon" is that village, not also its neighbour Klapagading).</summary>
    private static List<Region> Exact(Dictionary<string, List<Region>> byName, IEnumerable<Section> sections)
    {
        var found = new List<Region>();
        foreach (var section in sections)
        {
            var named = new List<(int Start, int End)>();
            for (var length = Math.Min(4, section.Words.Count); length >= 1; length--)
                for (var i = 0; i + length <= section.Words.Count; i++)
                {
                    if (named.Exists(n => n.Start <= i && i + length <= n.End)
                        || !byName.TryGetValue(string.Join(' ', section.Words.Skip(i).Take(length)), out var regions)) continue;
                    found.AddRange(regions);
                    named.Add((i, i + length));
                }
        }
        return found;
    }

    /// <summary>Whether <paramref name="region"/>'s name is written after <paramref name="level"/>'s marker (<c>kec sokaraja</c>).</summary>
    private static bool NamedAfterMarker(List<Section> sections, Region region, RegionLevel level) =>
        sections.Exists(s => s.Level == level && Keys(region).Any(key => HasWords(s.Text, key)));

    /// <summary>Whether <paramref name="higher"/>'s name is a run of whole words of <paramref name="lower"/>'s name.</summary>
    private static bool IsWordsOf(Region higher, Region lower) => Keys(lower).Any(name => HasWords(name, Keys(higher).First()));

    /// <summary>Whether <paramref name="words"/> are a run of whole words of <paramref name="name"/> (or all of it).</summary>
    private static bool HasWords(string name, string words) =>
        $" {name} ".Contains($" {words} ", StringComparison.Ordinal);

    private static IEnumerable<string> Phrases(List<string> tokens)
    {
        for (var length = 4; length >= 1; length--)
            for (var i = 0; i + length <= tokens.Count; i++)
                yield return string.Join(' ', tokens.Skip(i).Take(length));
    }

    /// <summary>A run of words and the level its marker announced (<c>kec sokaraja</c> → District), or none before
    /// any marker. A section may name its own level or a higher one (<c>kel gambir jakarta pusat</c>), never a lower.</summary>
    private sealed record Section(RegionLevel? Level, List<string> Words)
    {
        public string Text => string.Join(' ', Words);
    }

    private static List<Section> Sections(string text)
    {
        var sections = new List<Section> { new(null, []) };
        foreach (var token in Tokens(text))
        {
            RegionLevel? marker = VillageMarkers.Contains(token) ? RegionLevel.Village
                : DistrictMarkers.Contains(token) ? RegionLevel.District
                : RegencyMarkers.Contains(token) ? RegionLevel.Regency
                : null;
            if (marker is not null) sections.Add(new Section(marker, []));
            else sections[^1].Words.Add(token);
        }
        return sections;
    }

    /// <summary>Lower-case words, punctuation and RT/RW numbers dropped: <c>Ds. Karangrau RT 02/03</c> → <c>ds karangrau</c>.</summary>
    private static List<string> Tokens(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant()) sb.Append(char.IsLetterOrDigit(c) ? c : ' ');
        return sb.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(t => !t.Any(char.IsAsciiDigit) && t is not ("rt" or "rw" or "no" or "jl" or "jln" or "jalan" or "gg" or "gang" or "blok"))
            .ToList();
    }

    private static string Key(string name) => string.Join(' ', Tokens(name));

    private static Dictionary<string, List<Region>> ByName(IEnumerable<Region> regions)
    {
        var byName = new Dictionary<string, List<Region>>(StringComparer.Ordinal);
        foreach (var region in regions)
        {
            foreach (var key in Keys(region))
            {
                if (!byName.TryGetValue(key, out var list)) byName[key] = list = [];
                list.Add(region);
            }
        }
        return byName;
    }

    /// <summary>A region's name as people write it: <c>Kabupaten Banyumas</c> → <c>banyumas</c>; <c>Karang Tengah</c>
    /// also as <c>karangtengah</c>; <c>Kota Administrasi Jakarta Pusat</c> → <c>jakarta pusat</c>.</summary>
    private static IEnumerable<string> Keys(Region region)
    {
        var key = Key(region.Name);
        foreach (var prefix in new[] { "kabupaten ", "kota administrasi ", "kota " })
            if (key.StartsWith(prefix, StringComparison.Ordinal)) key = key[prefix.Length..];
        yield return key;
        if (key.Contains(' ', StringComparison.Ordinal)) yield return key.Replace(" ", "", StringComparison.Ordinal);
    }
}
