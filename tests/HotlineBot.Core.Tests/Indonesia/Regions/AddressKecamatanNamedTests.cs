using HotlineBot.Core.Indonesia.Regions;

namespace HotlineBot.Core.Tests.Indonesia.Regions;

/// <summary>Every Banyumas village name found in more than one kecamatan, written the way citizens write addresses
/// ("Desa X RT 02 RW 03, Kecamatan Y"): the kecamatan named settles it, with no question back.</summary>
public sealed class AddressKecamatanNamedTests
{
    private static readonly AddressResolver Banyumas = new(RegionIndex.Default, homeRegency: "33.02");

    public static IEnumerable<TestCaseData> Ambiguous()
    {
        var regions = RegionIndex.Default;
        var villages = regions.Villages.Where(v => v.Code.StartsWith("33.02.", StringComparison.Ordinal)).GroupBy(v => v.Name).Where(g => g.Count() > 1);
        foreach (var name in villages)
            foreach (var village in name)
            {
                var district = regions.Districts.First(d => d.Code == village.ParentCode);
                foreach (var style in new[] { "Desa {0} RT 02 RW 03, Kecamatan {1}", "ds {0} rt2/3 kec {1}", "{0}, kec. {1}, kab banyumas" })
                    yield return new TestCaseData(string.Format(System.Globalization.CultureInfo.InvariantCulture, style, village.Name, district.Name), village.Code)
                        .SetName($"Resolve_{village.Name.Replace(' ', '_')}_In_{district.Name.Replace(' ', '_')}({style.Split(' ')[0]})");
            }
    }

    [TestCaseSource(nameof(Ambiguous))]
    public void Resolve_KecamatanNamed_SettlesTheVillage(string address, string village)
    {
        var resolved = Banyumas.Resolve(address);

        Assert.That(resolved.Options, Is.Empty, address);
        Assert.That(resolved.Match?.VillageCode, Is.EqualTo(village), address);
    }

    [Test]
    public void Resolve_AVillageOfTheSameNameInAnotherRegencyNamed_IsNotThisOne() =>
        Assert.That(Banyumas.Resolve("Ds Karangrau, Kab Purbalingga").Match?.VillageCode, Is.Null.Or.Not.StartWith("33.02."));
}
