using HotlineBot.Core.Indonesia.Regions;

namespace HotlineBot.Core.Tests.Indonesia.Regions;

public sealed class AddressResolverTests
{
    private static readonly AddressResolver Banyumas = new(RegionIndex.Default, homeRegency: "33.02");
    private static readonly AddressResolver Nowhere = new(RegionIndex.Default, homeRegency: null);

    public sealed record Case(string Label, string Address, string? District, string? Village = null, int Options = 0)
    {
        public override string ToString() => Label;
    }

    // An office in Kabupaten Banyumas (33.02). Karangrau is a village in both Kec. Banyumas (33.02.11) and Kec. Sokaraja (33.02.19).
    private static readonly Case[] Cases =
    [
        new("village in two districts, settled by the kecamatan named", "ds karangrau rt2/3 kec sokaraja bms", "33.02.19", "33.02.19.2018"),
        new("same with Kec. and dots", "Ds. Karangrau RT 002/003, Kec. Sokaraja", "33.02.19", "33.02.19.2018"),
        new("village in two districts, nothing else: ask", "Desa Karangrau RT 2/3", null, Options: 2),
        new("the other Karangrau", "karangrau kecamatan banyumas", "33.02.11", "33.02.11.2004"),
        new("kab banyumas names the regency, not the kecamatan Banyumas", "ds karangrau kab banyumas", null, Options: 2),
        new("typo in the village, inside the home regency", "desa karangruu kec sokaraja", "33.02.19", "33.02.19.2018"),
        new("typo in the kecamatan", "sokaraja kulon kec sokaraj", "33.02.19", "33.02.19.2016"),
        new("a kecamatan alone", "dekat pasar, kec sokaraja", "33.02.19"),
        new("a misspelt kecamatan alone", "dekat pasar, kec sokaraj", "33.02.19"),
        new("a village without marker in the home regency", "Sokaraja Kulon rt 1 rw 1", "33.02.19", "33.02.19.2016"),
        new("nothing known", "kolong jembatan dekat pasar wage", null),
        new("a street name is not a village; the kecamatan named wins", "jl. merdeka no 5 rt 03/rw 05 kel. sukamaju kec. cibeunying kaler", "32.73.18"),
        new("a regency named bounds the villages", "desa sempu kab banyuwangi", "35.10.20", "35.10.20.2001"),
        new("Jakarta: village marked, regency unmarked after it", "Kel. Gambir RT 4 RW 1 Jakarta Pusat", "31.71.01", "31.71.01.1001"),
        new("a regency's name inside a village's (Jepara) is that village", "Ds Jepara Kulon RT 2/3 Kec Binangun", "33.01.04", "33.01.04.2003"),
        new("a regency's name as a village's last word (Karanganyar)", "Ds Serayu Karanganyar Kec Mrebet", "33.03.08", "33.03.08.2012"),
        new("a regency written after kab bounds, even when a village bears its name", "Ds Karanganyar Kab Karanganyar", "33.13.09", "33.13.09.1007"),
    ];

    // For an office in another regency (home): a kecamatan's name can be a village's (written after "ds", it names a
    // village, the kecamatan's own first if it has one); places of a neighbouring regency written as on an ID card
    // (village, kecamatan, regency; markers or none) are bounded by the regency and kecamatan written; commas end names;
    // marker words inside names are words.
    [TestCase("11.16", "Ds Rantau Panjang", "11.16.03", "11.16.03.2017", TestName = "Ds Rantau Panjang is the home village, not Kec. Rantau Panjang in Ogan Ilir")]
    [TestCase("11.02", "Ds Tanoh Alas", "11.02.06", "11.02.06.2017", TestName = "Ds Tanoh Alas is the village in another kecamatan, not Kec. Tanoh Alas")]
    [TestCase("32.01", "Ds Cibinong", "32.01.01", "32.01.01.1006", TestName = "Ds Cibinong, a village in two kecamatan: the one in Kec. Cibinong")]
    [TestCase("33.02", "Ds Pekuncen", "33.02.16", "33.02.16.2013", TestName = "Ds Pekuncen, a village in two kecamatan: the one in Kec. Pekuncen")]
    [TestCase("11.02", "Ds Tanoh Alas Kec Tanoh Alas", "11.02.15", null, TestName = "Kec Tanoh Alas written after kec: that kecamatan")]
    [TestCase("33.28", "Ds Kedungbanteng Kec Kedungbanteng Banyumas", "33.02.23", "33.02.23.2003")]
    [TestCase("33.02", "Ds Jatisaba Purbalingga", "33.03.05", "33.03.05.2004")]
    [TestCase("33.02", "Desa Glempang, Maos", "33.01.07", "33.01.07.2008")]
    [TestCase("33.02", "Ds Glempang Maos Cilacap", "33.01.07", "33.01.07.2008")]
    [TestCase("33.02", "Kedungwuluh Kalimanah Purbalingga", "33.03.06", "33.03.06.2016")]
    [TestCase("33.02", "Ds Kebumen Kebumen", "33.05.12", "33.05.12.1024")]
    [TestCase("33.01", "Desa Bantar, Jatilawang", "33.02.03", "33.02.03.2008")]
    [TestCase("33.02", "Ds Karanganyar Kec Karanganyar Purbalingga", "33.03.11", "33.03.11.2010")]
    [TestCase("33.02", "Ds Bojongsari Kec Bojongsari Purbalingga", "33.03.14", "33.03.14.2006")]
    [TestCase("33.02", "Ds Susukan Kec Susukan Banjarnegara", "33.04.01", "33.04.01.2012")]
    [TestCase("33.02", "Ds Wonosari Kec Karanganyar Pekalongan", "33.26.07", "33.26.07.2011")]
    [TestCase("32.01", "Ds Sukaraja Kec Sukaraja Sukabumi", "32.02.33", "32.02.33.2004")]
    [TestCase("33.28", "Desa Kasepuhan, Batang, Batang", "33.25.11", "33.25.11.1017", TestName = "A comma ends a name: Batang, Batang is not Kec. Batang-Batang in Sumenep")]
    [TestCase("75.71", "Desa Padengo, Kabila, Bone Bolango", "75.03.02", "75.03.02.1008", TestName = "A comma ends a name: Kabila, Bone is not Kec. Kabila Bone")]
    [TestCase("73.07", "Ds Sindu Agung Luwu Timur", "73.24.01", "73.24.01.2014", TestName = "A kecamatan's Kota is part of its name: Luwu Timur is not Kec. Kota Timur")]
    [TestCase("14.01", "Ds Kota Baru RT 2/3 Kec Tapung Hilir", "14.01.11", "14.01.11.2007", TestName = "A marker right after a marker is part of the name: Ds Kota Baru")]
    [TestCase("15.02", "Desa Kampung Baruh, Tabir", "15.02.05", "15.02.05.1005", TestName = "A marker right after a marker is part of the name: Desa Kampung Baruh")]
    [TestCase("21.03", "Ds Ranai Kota RT 2/3 Kec Bunguran Timur", "21.03.07", "21.03.07.1011", TestName = "A marker right before kec is part of the name: Ds Ranai Kota Kec")]
    [TestCase("11.01", "Kampung Baru, Kec Pasie Raja", "11.01.10", "11.01.10.2004", TestName = "A name that begins with a marker word, typed without Ds: Kampung Baru in Kec. Pasie Raja")]
    [TestCase("11.01", "Kampung Baru", "11.01.10", "11.01.10.2004", TestName = "Kampung Baru alone: the name as typed, not the home regency's Baru")]
    [TestCase("11.08", "Gampong Baro Kec Samudera", "11.08.08", "11.08.08.2013", TestName = "Gampong Baro in Kec. Samudera, not the Baro of Kec. Lhoksukon")]
    [TestCase("14.01", "Kota Baru, Tapung Hilir", "14.01.11", "14.01.11.2007", TestName = "A village named Kota Baru, typed without Ds")]
    [TestCase("12.08", "Dusun Pengkolan", "12.08.08", "12.08.08.2007", TestName = "A village named Dusun Pengkolan, typed without Ds")]
    [TestCase("11.01", "Kota Bahagia", "11.01.17", null, TestName = "A kecamatan named Kota Bahagia, typed alone")]
    [TestCase("13.71", "Jl. Sudirman No. 5, Kota Padang", null, null, TestName = "Kota Padang is the city, not Kec. Kota Padang in Bengkulu nor its village")]
    [TestCase("11.73", "Kota Lhokseumawe", null, null, TestName = "Kota Lhokseumawe is the city, not the village of that name in it")]
    [TestCase("11.73", "Kota Lhokseumawe, Kec Banda Sakti", "11.73.02", "11.73.02.2005", TestName = "Kota Lhokseumawe with its kecamatan: the village")]
    [TestCase("11.73", "Jl. Merdeka, Kota Lhokseumawe", null, null, TestName = "A street named like a kecamatan elsewhere (Merdeka, in Karo) is not that kecamatan when the city is named")]
    [TestCase("34.71", "Kota Baru, Gondokusuman", null, null, TestName = "Kota Baru in Yogyakarta: not Kec. Kota Baru of another province")]
    public void Resolve_ForAnOfficeIn(string home, string address, string? district, string? village)
    {
        var result = new AddressResolver(RegionIndex.Default, home).Resolve(address);

        Assert.That(result.Match?.DistrictCode, Is.EqualTo(district), string.Join(" | ", result.Options.Select(o => o.Label)));
        Assert.That(result.Match?.VillageCode, Is.EqualTo(village));
    }

    // Whatever a confused citizen sends, an answer: a match, options or none, never an exception.
    [TestCase("")]
    [TestCase(",,, ;;")]
    [TestCase("ds kec kab")]
    [TestCase("kota")]
    [TestCase("kec, kab")]
    [TestCase("🏠🙏 desa 😭")]
    [TestCase("ds ds ds kec kec kota kota kab")]
    [TestCase("Ds Karangrau Kec Sokarajaa Kab Banjarnegara", TestName = "A misspelt home kecamatan with another regency named")]
    public void Resolve_OddInput_Answers(string address)
    {
        foreach (var home in new[] { "33.02", null })
            Assert.DoesNotThrow(() => new AddressResolver(RegionIndex.Default, home).Resolve(address));
    }

    /// <summary>Seeded random addresses of the office's own names (some misspelt), other regencies, markers and commas,
    /// in any order: every one answers. Misspelt names are found by likeness and stand nowhere in the text, the kind of
    /// hit one reading of a hit's place in the text did not expect.</summary>
    [Test]
    public void Resolve_RandomMixesOfNamesMarkersAndTypos_Answer()
    {
        var random = new Random(20261207);
        var home = RegionIndex.Default.Districts.Where(d => d.ParentCode == "33.02").Select(d => d.Name)
            .Concat(RegionIndex.Default.Villages.Where(v => v.Code.StartsWith("33.02.19.", StringComparison.Ordinal)).Select(v => v.Name)).ToList();
        var others = RegionIndex.Default.Regencies.Where(r => r.Code.StartsWith("33.", StringComparison.Ordinal)).Select(r => r.Name).ToList();
        string[] markers = ["ds", "desa", "kel", "kec", "kab", "kota", "kampung", "dusun", "rt 2/3", ",", "jl.", "gg."];
        string Misspelt(string name) => name.Length < 6 ? name : name.Remove(random.Next(1, name.Length - 1), 1);
        foreach (var resolver in new[] { new AddressResolver(RegionIndex.Default, "33.02"), new AddressResolver(RegionIndex.Default, null) })
            for (var i = 0; i < 1000; i++)
            {
                var parts = Enumerable.Range(0, random.Next(1, 7)).Select(_ => random.Next(4) switch
                {
                    0 => markers[random.Next(markers.Length)],
                    1 => others[random.Next(others.Count)],
                    2 => Misspelt(home[random.Next(home.Count)]),
                    _ => home[random.Next(home.Count)],
                });
                var address = string.Join(' ', parts);
                Assert.DoesNotThrow(() => resolver.Resolve(address), address);
            }
    }

    [Test]
    public void Resolve_AVeryLongAddress_ReadsItsStart() =>
        Assert.That(Banyumas.Resolve("ds karangrau kec sokaraja " + string.Concat(Enumerable.Repeat("kalibagor ", 5000))).Match?.VillageCode,
            Is.EqualTo("33.02.19.2018"));

    [TestCaseSource(nameof(Cases))]
    public void Resolve(Case c)
    {
        var result = Banyumas.Resolve(c.Address);

        Assert.That(result.Match?.DistrictCode, Is.EqualTo(c.District), string.Join(" | ", result.Options.Select(o => o.Label)));
        if (c.Village is not null) Assert.That(result.Match?.VillageCode, Is.EqualTo(c.Village));
        Assert.That(result.Options, Has.Count.EqualTo(c.Options));
    }

    [Test]
    public void Resolve_AmbiguousVillage_OffersReadableOptions()
    {
        var result = Banyumas.Resolve("Desa Karangrau");

        Assert.That(result.Options.Select(o => o.Label), Is.EquivalentTo(new[]
        {
            "Karangrau, Kec. Banyumas, Kab. Banyumas", "Karangrau, Kec. Sokaraja, Kab. Banyumas",
        }));
    }

    [Test]
    public void Resolve_NoHomeRegency_StillFindsMarkedNamesButNoTypos()
    {
        Assert.That(Nowhere.Resolve("ds karangrau kec sokaraja").Match?.VillageCode, Is.EqualTo("33.02.19.2018"));
        Assert.That(Nowhere.Resolve("desa karangruu kec sokaraja").Match?.VillageCode, Is.Null);
    }

    [Test]
    public void RegionIndex_KnowsLegacyCodesForNiks()
    {
        Assert.That(RegionIndex.Default.IsKnown("91.01"), Is.True, "Merauke before the 2022 split");
        Assert.That(RegionIndex.Default.IsKnown("93.01"), Is.True, "Merauke now");
        Assert.That(RegionIndex.Default.IsKnown("33.99"), Is.False);
    }
}
