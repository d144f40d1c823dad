using HotlineBot.Core.Indonesia.Regions;
using HotlineBot.Core.Routing;

namespace HotlineBot.Core.Tests.Routing;

public sealed class PartnersFileTests
{
    [Test]
    public void Read_DemoFile_LoadsEveryPartner()
    {
        var result = PartnersFile.Read(File.ReadAllText(RepoFiles.Path("deploy", "partners.demo.yaml")), "partners.demo.yaml", RegionIndex.Default);

        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.Partners, Has.Count.EqualTo(7));
        var puskesmas = result.Partners.Single(p => p.Id == "puskesmas-sokaraja");
        Assert.That(puskesmas.Contact, Is.EqualTo("tel:+6281100000102"));
        Assert.That(puskesmas.RadiusKm, Is.EqualTo(8));
        Assert.That(result.Partners.Single(p => p.Id == "ambulans-dinsos").Contact, Is.EqualTo("whatsapp:+6281100000104"));
    }

    [Test]
    public void Read_BrokenFile_RefusesAllAndNamesEachLine()
    {
        var result = PartnersFile.Read(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "testdata", "partners", "broken.yaml")), "broken.yaml", RegionIndex.Default);

        Assert.That(result.Partners, Is.Empty, "no partial import");
        Assert.That(result.Errors, Is.EquivalentTo(new[]
        {
            "broken.yaml:9: id 'puskesmas-sokaraja' is used twice",
            "broken.yaml:9: kind 'klinik' is not one of dinsos, puskesmas, hospital, ambulance, volunteer, zakat, other",
            "broken.yaml:9: contact 'nomor hp' is not a phone number (\"+62…\" or \"whatsapp:+62…\")",
            "broken.yaml:9: need 'ambulans' is not one of ambulance, hospital_costs, insurance, documents, food, shelter, accompaniment, post_care",
            "broken.yaml:9: area '33.99' is not a Kemendagri code (\"33\", \"33.02\", \"33.02.19\")",
            "broken.yaml:16: unknown field 'email'",
            "broken.yaml:16: id 'Bad Id' must be a slug (a-z, 0-9, -)",
            "broken.yaml:16: radius_km needs a location",
        }));
    }

    [TestCase("partners: 3", "the file needs a top-level 'partners:' list")]
    [TestCase("partners:\n  - [1, 2]", "each partner is a mapping")]
    [TestCase("partners:\n  - id: a\n    name: A\n    kind: other\n    contact: \"+6281100000101\"\n    serves: [food]\n", "the partner covers nothing")]
    [TestCase("partners: [", "")]
    public void Read_Malformed_IsRefusedWithAReason(string yaml, string expected)
    {
        var result = PartnersFile.Read(yaml, "p.yaml", RegionIndex.Default);

        Assert.That(result.Partners, Is.Empty);
        Assert.That(result.Errors, Has.Some.StartWith("p.yaml:").And.Some.Contains(expected));
    }
}
