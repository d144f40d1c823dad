using System.Text;
using F23.StringSimilarity;

namespace HotlineBot.Core.Indonesia.Regions;

/// <summary>
/// Resolves an address as people type it (<c>ds karangrau rt2/3 kec sokaraja bms</c>, <c>Kel. Gambir, Jakarta Pusat</c>)
/// to a kecamatan and, when named, a village (DESIGN.md §5). Names are matched as whole words, never across a comma:
/// exactly anywhere in Indonesia, and with small typos inside the office's own regency. Where a name stands decides
/// what it names (the longest name first; after "ds" a village, then higher places). A village that exists in several
/// kecamatan is settled by the kecamatan or regency named, then by the office's regency; otherwise the caller asks
/// which one. <c>tools/addresses.sh</c> checks every village of Indonesia.
/// </summary>
public sealed class AddressResolver
{
    private const int MaxOptions = 5;
    private const int MaxLength = 300;
    private static readonly Damerau Typos = new();
    private static readonly HashSet<string> VillageMarkers = ["ds", "desa", "kel", "kelurahan", "kampung", "kp", "kmp", "gampong", "nagari", "dusun", "dsn"];
    private static readonly HashSet<string> DistrictMarkers = ["kec", "kecamatan", "distrik"];
    private static readonly HashSet<string> RegencyMarkers = ["kab", "kabupaten", "kota", "kodya", "kotamadya"];
    /// <summary>Markers that are never part of a name.</summary>
    private static readonly HashSet<string> StrongMarkers = ["kec", "kecamatan", "kab", "kabupaten"];
    /// <summary>Every village by name, built once per index (84,000 villages) and only read after: one for every
    /// resolver on that index, whatever its office.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<RegionIndex, Dictionary<string, List<Region>>> VillagesByName = new();
    private readonly RegionIndex _regions;
    private readonly string? _homeRegency;
    private readonly Lazy<Dictionary<string, List<Region>>> _villagesByName;
    private readonly Dictionary<string, List<Region>> _districtsByName;
    private readonly Dictionary<string, List<Region>> _regenciesByName;
    private readonly Lazy<List<Region>> _homeDistricts;
    private readonly Lazy<List<Region>> _homeVillages;

    /// <param name="homeRegency">The office's kabupaten/kota (<c>33.02</c>): preferred, and the only place where
    /// misspelt names are looked for.</param>
    public AddressResolver(RegionIndex regions, string? homeRegency)
    {
        _regions = regions ?? throw new ArgumentNullException(nameof(regions));
        _homeRegency = homeRegency;
        _districtsByName = ByName(regions.Districts);
        _regenciesByName = ByName(regions.Regencies.Where(r => r.Code.Length == 5));
        _villagesByName = new(() => VillagesByName.GetValue(regions, r => ByName(r.Villages)));
        _homeDistricts = new(() => homeRegency is null ? [] : regions.Districts.Where(InHome).ToList());
        _homeVillages = new(() => homeRegency is null ? [] : regions.Villages.Where(InHome).ToList());
    }

    public AddressResolution Resolve(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // An address is a line or two; the reading below grows with the square of its words.
        var sections = Sections(text.Length > MaxLength ? text[..MaxLength] : text);
        // The section a hit's words are in; none for a misspelt name (found by its likeness, not at a place in the text).
        Section? SectionOf(Hit h) => h.Start >= 0 ? sections[h.Section] : null;
        var regencyHits = Find(_regenciesByName, sections, RegionLevel.Regency, fuzzyWithin: null, _ => true);
        // Words after "kota" that name a city are that city, not a place whose name begins with Kota (Kota Padang is not
        // Kec. Kota Padang in Bengkulu, nor Kota Lhokseumawe the village of that name in the city), unless a kecamatan
        // named elsewhere holds that place (Kota Padang, Kec Kota Padang: the village).
        var cities = regencyHits.Where(h => !h.WithMarker && h.Start == 0 && SectionOf(h)?.Marker is "kota" or "kodya" or "kotamadya")
            .Select(h => h.Section).ToHashSet();
        var districtHits = Find(_districtsByName, sections, RegionLevel.District, fuzzyWithin: HomeDistricts, _ => true);
        // A kecamatan read with its marker (Kota Bahagia) is one of the office's regency or of a regency named, as a
        // village named by words no marker announced is.
        districtHits.RemoveAll(h => h.WithMarker
            && (cities.Contains(h.Section) || !(InHome(h.Region) || regencyHits.Exists(r => r.Region.Code == h.Region.ParentCode))));
        // Words after a village marker name villages anywhere; other words ("jl merdeka", "dekat pasar") count as a
        // village only inside the office's regency or under the kecamatan named.
        var villageHits = Find(_villagesByName.Value, sections, RegionLevel.Village, fuzzyWithin: HomeVillages, s => s.Level == RegionLevel.Village)
            .Concat(Find(_villagesByName.Value, sections, RegionLevel.Village, fuzzyWithin: HomeVillages, s => s.Level != RegionLevel.Village)
                .Where(v => InHome(v.Region) || districtHits.Exists(d => v.Region.ParentCode == d.Region.Code)))
            .Where(v => !(v.WithMarker && cities.Contains(v.Section)
                && !districtHits.Exists(d => !d.WithMarker && d.Section != v.Section && v.Region.ParentCode == d.Region.Code)))
            .ToList();

        // The same words can name places of several levels (Karanganyar is a regency, a kecamatan in Purbalingga and
        // villages; Jepara a regency and part of Ds Jepara Kulon). Which one they name:
        // - after a marker, the first name of its level is the place it announces, and the words after it name higher
        //   places (Ds Kebumen Kebumen: a village, then the regency; Kec Kedungbanteng Banyumas: the regency);
        // - the words of a kecamatan written after "kec" are that kecamatan, not a regency (Kec Karanganyar);
        // - a name inside a longer one of another level is not read on its own (Ds Jepara Kulon is not Kab. Jepara; Ds
        //   Penantian Ogan Komering Ulu names no village Ulu; Lubuk Batang is not Kab. Batang);
        // - words that name a village are that village, not a regency (Desa Karanganyar), and a kecamatan of the same
        //   name is only a preference (Ds Cibinong: the Cibinong in Kec. Cibinong, if there is one);
        // - words that name a regency and a kecamatan with no marker to tell bound as either (Kalimanah Purbalingga;
        //   Desa Tumbuh Mekar, Bone: Kec. Bone in Bone Bolango).
        foreach (var (index, section) in sections.Index())
        {
            var from = 0;   // a village's words are not also the kecamatan's (Desa Mekarsari, Cianjur: Mekarsari is one too)
            foreach (var (level, own, higher) in new[] { (RegionLevel.Village, villageHits, districtHits.Concat(regencyHits)), (RegionLevel.District, districtHits, regencyHits) })
            {
                if (section.Level < level || own.Where(h => h.Section == index && h.Start >= from).MinBy(h => h.Start) is not { } first) continue;
                own.RemoveAll(h => h.Section == index && h.Start >= first.End && higher.Any(g => g.SameWords(h)));
                if (section.Level == RegionLevel.District && level == RegionLevel.District) regencyHits.RemoveAll(r => r.Overlaps(first));
                from = first.End;
            }
        }
        var named = regencyHits.Concat(districtHits).Concat(villageHits).Where(h => h.Start >= 0).ToList();
        foreach (var hits in new[] { regencyHits, districtHits, villageHits })
            hits.RemoveAll(h => named.Exists(longer => longer.Region.Level != h.Region.Level && h.Inside(longer)));
        regencyHits.RemoveAll(r => villageHits.Exists(r.SameWords));
        // A kecamatan named by the words of a regency too (Bone: Kab. Bone, and Kec. Bone in Bone Bolango) is in the
        // regency's bound; by a village's, only a preference.
        var orDistricts = districtHits.Where(d => regencyHits.Exists(d.SameWords) && SectionOf(d)?.Level != RegionLevel.District).ToList();
        var preferred = districtHits.Where(d => villageHits.Exists(d.SameWords)).Concat(orDistricts).ToList();
        var regencies = regencyHits.Select(h => h.Region).Distinct().ToList();
        var districts = districtHits.Except(preferred).Select(h => h.Region).Distinct().ToList();
        var villages = villageHits.Select(h => h.Region).Distinct().ToList();
        var wholeNames = villageHits.Where(h => h.WithMarker).Select(h => h.Region).ToHashSet();
        var liked = preferred.Select(h => h.Region).Distinct().ToList();

        // A regency, then a kecamatan, named bound what is below them: a village outside them is another place with the
        // same name, not this one.
        if (regencies.Count > 0)
        {
            // Words no "kec" announced that name a kecamatan outside the regency named are something else (a street:
            // Jl. Merdeka, Kota Lhokseumawe is not Kec. Merdeka in Karo); a kecamatan written after "kec" stays a candidate.
            bool Elsewhere(Region d) => !regencies.Exists(r => d.ParentCode == r.Code)
                && !districtHits.Exists(h => h.Region == d && SectionOf(h)?.Level == RegionLevel.District);
            districts.RemoveAll(Elsewhere);
            liked.RemoveAll(Elsewhere);
            districts = Narrow(districts, d => regencies.Exists(r => d.ParentCode == r.Code));
            liked = Narrow(liked, d => regencies.Exists(r => d.ParentCode == r.Code));
            villages = villages.Where(v => regencies.Exists(r => RegencyOf(v) == r.Code) || orDistricts.Exists(d => v.ParentCode == d.Region.Code)).ToList();
        }
        if (districts.Count > 0)
        {
            var inside = villages.Where(v => districts.Exists(d => v.ParentCode == d.Code)).ToList();
            if (inside.Count > 0 || districts.Count == 1) villages = inside;
        }
        villages = Narrow(villages, InHome);
        villages = Narrow(villages, v => liked.Exists(d => v.ParentCode == d.Code));
        // "Kampung Baru" where both Kampung Baru and Baru are left: the name as typed, marker and all.
        villages = Narrow(villages, wholeNames.Contains);
        if (districts.Count == 0) districts = liked;
        districts = Narrow(districts, InHome);

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
    // Built once: each is a walk through every region of the country (1.4 ms per address when walked per call).
    private List<Region> HomeDistricts => _homeDistricts.Value;
    private List<Region> HomeVillages => _homeVillages.Value;

    /// <summary>A region named by words <c>[Start, End)</c> of section <c>Section</c>; a misspelt name found has no
    /// words of its own (<c>Start</c> −1).</summary>
    /// <param name="WithMarker">Named with the marker before its words: the marker is the name's first word (Kampung Baru).</param>
    private sealed record Hit(Region Region, int Section, int Start, int End, bool WithMarker = false)
    {
        public bool Overlaps(Hit other) =>
            Start >= 0 && other.Start >= 0 && Section == other.Section && Start < other.End && other.Start < End;

        public bool SameWords(Hit other) => Start >= 0 && Section == other.Section && Start == other.Start && End == other.End;

        /// <summary>Whether these words are some of <paramref name="longer"/>'s, not all of them.</summary>
        public bool Inside(Hit longer) =>
            Start >= 0 && longer.Start >= 0 && Section == longer.Section && longer.Start <= Start && End <= longer.End
            && End - Start < longer.End - longer.Start;
    }

    /// <summary>Regions of <paramref name="level"/> whose name is a run of 1–4 words of a section (of those
    /// <paramref name="where"/> allows) that may name that level. Misspelt names (one edit; two for long names) are
    /// looked for only among <paramref name="fuzzyWithin"/>.</summary>
    private static List<Hit> Find(Dictionary<string, List<Region>> byName, List<Section> sections, RegionLevel level, IReadOnlyList<Region>? fuzzyWithin,
        Func<Section, bool> where)
    {
        // Words right after this level's own marker win over words that merely could name it.
        var found = Exact(byName, sections, s => s.Level == level && where(s));
        if (found.Count == 0) found = Exact(byName, sections, s => (s.Level is null || s.Level >= level) && where(s));
        if (found.Count > 0 || fuzzyWithin is null) return found;
        var candidates = sections.Where(s => (s.Level is null || s.Level >= level) && where(s)).SelectMany(s => Phrases(s.Words)).Where(p => p.Length >= 5).ToList();
        if (candidates.Count == 0) return found;
        foreach (var region in fuzzyWithin)
        {
            var name = Key(region.Name);
            var allowed = name.Length >= 9 ? 2 : 1;
            if (candidates.Exists(p => Math.Abs(p.Length - name.Length) <= allowed && Typos.Distance(p, name) <= allowed)) found.Add(new Hit(region, -1, -1, -1));
        }
        return found;
    }

    /// <summary>Regions named exactly by a run of words, the longest runs first: words inside a longer name found are not
    /// read again as a shorter one ("Ds Klapagading Kulon" is that village, not also its neighbour Klapagading).</summary>
    private static List<Hit> Exact(Dictionary<string, List<Region>> byName, List<Section> sections, Func<Section, bool> where)
    {
        var found = new List<Hit>();
        foreach (var (index, section) in sections.Index())
        {
            var named = new List<(int Start, int End)>();
            for (var length = where(section) ? Math.Min(4, section.Words.Count) : 0; length >= 1; length--)
                for (var i = 0; i + length <= section.Words.Count; i++)
                {
                    var words = section.Words.GetRange(i, length);
                    if (words.Contains(Break) || named.Exists(n => n.Start <= i && i + length <= n.End)
                        || !byName.TryGetValue(string.Join(' ', words), out var regions)) continue;
                    found.AddRange(regions.Select(r => new Hit(r, index, i, i + length)));
                    named.Add((i, i + length));
                }
            // Many official names begin with a marker word (Kampung Baru, Kota Baru, Gampong Jawa, Dusun Tengah: 528
            // villages and 54 kecamatan): typed without "Ds" before them, at the start of a part of the address, the
            // marker is also read as the name's first word, as words no marker announced. Not after other words: there
            // the marker word is inside a longer name (Kec Poso Kota Utara, Ds Pasar Kota Bahagia).
            if (section.Marker is { } marker && !StrongMarkers.Contains(marker) && index > 0 && sections[index - 1].Words is var before
                && (before.Count == 0 || before[^1] == Break) && where(section with { Level = null }))
                for (var length = Math.Min(3, section.Words.Count); length >= 1; length--)
                {
                    var words = section.Words.GetRange(0, length);
                    if (words.Contains(Break) || !byName.TryGetValue(marker + " " + string.Join(' ', words), out var regions)) continue;
                    found.AddRange(regions.Select(r => new Hit(r, index, 0, length, WithMarker: true)));
                    break;
                }
        }
        return found;
    }

    private static IEnumerable<string> Phrases(List<string> tokens)
    {
        for (var length = 4; length >= 1; length--)
            for (var i = 0; i + length <= tokens.Count; i++)
                if (tokens.GetRange(i, length) is var words && !words.Contains(Break))
                    yield return string.Join(' ', words);
    }

    /// <summary>A run of words and the level its marker announced (<c>kec sokaraja</c> → District), or none before
    /// any marker. A section may name its own level or a higher one (<c>kel gambir jakarta pusat</c>), never a lower.</summary>
    private sealed record Section(RegionLevel? Level, List<string> Words, string? Marker = null);

    private static List<Section> Sections(string text)
    {
        var sections = new List<Section> { new(null, []) };
        var tokens = Tokens(text);
        var afterMarker = false;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            RegionLevel? marker = VillageMarkers.Contains(token) ? RegionLevel.Village
                : DistrictMarkers.Contains(token) ? RegionLevel.District
                : RegencyMarkers.Contains(token) ? RegionLevel.Regency
                : null;
            // A marker word with no words after it, or right after another marker, is part of a name: Kec Tebing Tinggi
            // Kota, Ds Kota Baru, Ds Kampung Baruh; but before kec or kab the other one is (Ds Ranai Kota Kec Bunguran Timur).
            if (marker is not null && i + 1 < tokens.Count && tokens[i + 1] != Break)
            {
                if (afterMarker)
                {
                    if (!StrongMarkers.Contains(token))
                    {
                        sections[^1].Words.Add(token);
                        afterMarker = false;
                        continue;
                    }
                    var empty = sections[^1];
                    sections.RemoveAt(sections.Count - 1);
                    sections[^1].Words.Add(empty.Marker!);
                }
                sections.Add(new Section(marker, [], token));
                afterMarker = true;
                continue;
            }
            sections[^1].Words.Add(token);
            afterMarker = false;
        }
        return sections;
    }

    /// <summary>Between the parts of an address (a comma, a semicolon, a new line): no name runs across it.</summary>
    private const string Break = ",";

    /// <summary>Lower-case words, punctuation and RT/RW numbers dropped, breaks kept: <c>Ds. Karangrau RT 02/03, Sokaraja</c>
    /// → <c>ds karangrau , sokaraja</c>.</summary>
    private static List<string> Tokens(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c)) sb.Append(c);
            else sb.Append(c is ',' or ';' or '\n' ? " , " : " ");
        }
        return sb.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(t => !t.Any(char.IsAsciiDigit) && t is not ("rt" or "rw" or "no" or "jl" or "jln" or "jalan" or "gg" or "gang" or "blok"))
            .ToList();
    }

    private static string Key(string name) => string.Join(' ', Tokens(name).Where(t => t != Break));

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
        // Only a regency's: Kec. Kota Timur (in Kota Gorontalo) is not "Timur".
        if (region.Level == RegionLevel.Regency)
            foreach (var prefix in new[] { "kabupaten ", "kota administrasi ", "kota " })
                if (key.StartsWith(prefix, StringComparison.Ordinal)) key = key[prefix.Length..];
        yield return key;
        if (key.Contains(' ', StringComparison.Ordinal)) yield return key.Replace(" ", "", StringComparison.Ordinal);
    }
}
