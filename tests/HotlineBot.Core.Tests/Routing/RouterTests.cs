using HotlineBot.Core.Dialogs;
using HotlineBot.Core.Routing;

namespace HotlineBot.Core.Tests.Routing;

public sealed class RouterTests
{
    // Kabupaten Banyumas: Sokaraja 33.02.19, Kec. Banyumas 33.02.11, Purwokerto Selatan 33.02.24.
    private static readonly Partner[] Network =
    [
        new("puskesmas-sokaraja", "Puskesmas Sokaraja", "puskesmas", "tel:+6281234567801", ["ambulance", "accompaniment"], ["33.02.19"], new GeoPoint(-7.458, 109.288), 10),
        new("ambulans-banyumas", "Ambulans Dinsos Banyumas", "ambulance", "tel:+6281234567802", ["ambulance"], ["33.02"], null, null),
        new("baznas-banyumas", "BAZNAS Banyumas", "zakat", "whatsapp:+6281234567803", ["food", "hospital_costs"], ["33.02"], null, null),
        new("pmi-jateng", "PMI Jawa Tengah", "other", "tel:+6281234567804", ["ambulance"], ["33"], null, null),
        new("relawan-karangrau", "Relawan Desa Karangrau", "volunteer", "whatsapp:+6281234567805", ["accompaniment", "food"], [], new GeoPoint(-7.452, 109.300), 3),
        new("puskesmas-nonaktif", "Puskesmas Tutup", "puskesmas", "tel:+6281234567806", ["ambulance"], ["33.02.19"], null, null, Active: false),
    ];

    public sealed record Case(string Label, string? District, GeoPoint? Position, string Need, string[] Expected)
    {
        public override string ToString() => Label;
    }

    private static readonly GeoPoint Karangrau = new(-7.4535, 109.2990);
    private static readonly GeoPoint Cilacap = new(-7.72, 109.01);

    private static readonly Case[] Cases =
    [
        new("ambulance in Sokaraja: kecamatan, then regency, then province; inactive left out", "33.02.19", null, "ambulance",
            ["puskesmas-sokaraja", "ambulans-banyumas", "pmi-jateng"]),
        new("ambulance in another kecamatan of Banyumas", "33.02.24", null, "ambulance", ["ambulans-banyumas", "pmi-jateng"]),
        new("ambulance outside Banyumas but in Central Java", "33.01.01", null, "ambulance", ["pmi-jateng"]),
        new("food in Sokaraja: the regency's BAZNAS; the volunteer needs a position", "33.02.19", null, "food", ["baznas-banyumas"]),
        new("food with a position near Karangrau: area first, then the volunteer by radius", "33.02.19", Karangrau, "food",
            ["baznas-banyumas", "relawan-karangrau"]),
        new("accompaniment near Karangrau: kecamatan match first, then by radius", "33.02.19", Karangrau, "accompaniment",
            ["puskesmas-sokaraja", "relawan-karangrau"]),
        new("accompaniment with only a position (WhatsApp location), nearest first", null, Karangrau, "accompaniment",
            ["relawan-karangrau", "puskesmas-sokaraja"]),
        new("a position out of every radius and no district: nobody", null, Cilacap, "accompaniment", []),
        new("a need nobody serves", "33.02.19", null, "shelter", []),
        new("no district, no position: nobody", null, null, "ambulance", []),
    ];

    [TestCaseSource(nameof(Cases))]
    public void Candidates(Case c) =>
        Assert.That(Router.Candidates(new RoutingRequest(c.District, c.Position, [c.Need]), Network, c.Need).Select(x => x.Partner.Id),
            Is.EqualTo(c.Expected));

    [Test]
    public void Pick_FanOutAndExclusions_PerNeed()
    {
        var request = new RoutingRequest("33.02.19", null, ["ambulance", "food", "shelter"]);

        var picked = Router.Pick(request, Network, fanOut: 2, exclude: new HashSet<(string, string)> { ("ambulance", "puskesmas-sokaraja") });

        Assert.That(picked["ambulance"].Select(c => c.Partner.Id), Is.EqualTo(new[] { "ambulans-banyumas", "pmi-jateng" }));
        Assert.That(picked["food"].Select(c => c.Partner.Id), Is.EqualTo(new[] { "baznas-banyumas" }));
        Assert.That(picked["shelter"], Is.Empty, "no partner: the duty officers take it");
    }

    [TestCase("33.02", "33.02.19", true)]
    [TestCase("33.02.19", "33.02.19", true)]
    [TestCase("33", "33.02.19", true)]
    [TestCase("33.0", "33.02.19", false)]
    [TestCase("33.02.1", "33.02.19", false)]
    [TestCase("33.01", "33.02.19", false)]
    [TestCase("33.02.19", "33.02", false)]
    [TestCase("33.02", "33.020", false)]
    [TestCase("", "33.02", false)]
    [TestCase("", "", true)]
    public void Covers(string area, string district, bool expected) => Assert.That(Router.Covers(area, district), Is.EqualTo(expected));

    [Test]
    public void Kilometres_PurwokertoToSokaraja_IsAboutEight() =>
        Assert.That(Router.Kilometres(new GeoPoint(-7.4245, 109.2302), new GeoPoint(-7.4580, 109.2880)), Is.InRange(7.0, 8.0));
}
