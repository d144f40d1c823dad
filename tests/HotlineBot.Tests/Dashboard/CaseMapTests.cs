using HotlineBot.Configuration;
using HotlineBot.Core.Dialogs;
using HotlineBot.Core.Routing;
using HotlineBot.Dashboard;

namespace HotlineBot.Tests.Dashboard;

/// <summary>The map page's geometry and its tile server setting.</summary>
public sealed class CaseMapTests
{
    private static readonly GeoPoint Sokaraja = new(-7.4601, 109.2851), Purwokerto = new(-7.4245, 109.2302);

    [Test]
    public void OneCase_IsTheCentre_AtAStreetZoom()
    {
        var map = new CaseMap([Sokaraja]);
        Assert.That(map.Zoom, Is.EqualTo(15));
        Assert.That(map.PinAt(Sokaraja, "5289"), Is.EqualTo(new CaseMap.Pin("5289", 0, 0)));
    }

    [Test]
    public void Cases_FitThePhonesWidth_AndSitEitherSideOfTheCentre()
    {
        var map = new CaseMap([Sokaraja, Purwokerto]);
        var (a, b) = (map.PinAt(Sokaraja, "a"), map.PinAt(Purwokerto, "b"));
        Assert.That(Math.Abs(a.Left - b.Left), Is.LessThanOrEqualTo(300));
        Assert.That(a.Left, Is.EqualTo(-b.Left).Within(1), "centred");
        Assert.That(a.Top, Is.GreaterThan(b.Top), "further south is lower");
        Assert.That(map.Zoom, Is.LessThan(15));
    }

    [Test]
    public void Tiles_CoverTheMapAroundTheCentre_FromTheTemplate()
    {
        var map = new CaseMap([Sokaraja]);
        var tiles = map.Tiles("https://tiles.example.go.id/{z}/{x}/{y}.png");
        Assert.That(tiles, Is.Not.Empty);
        Assert.That(tiles.Select(t => t.Url), Has.All.Match(@"^https://tiles\.example\.go\.id/15/\d+/\d+\.png$"));
        Assert.That(tiles.Min(t => t.Left), Is.LessThanOrEqualTo(-CaseMap.HalfWidth));
        Assert.That(tiles.Max(t => t.Left + 256), Is.GreaterThanOrEqualTo(CaseMap.HalfWidth));
        Assert.That(tiles.Min(t => t.Top), Is.LessThanOrEqualTo(-CaseMap.HalfHeight));
    }

    [Test]
    public void Nearest_ServesANeed_ActiveWithAPlace_NearestFirst()
    {
        Partner P(string id, GeoPoint? at, string serves = "ambulance", bool active = true) => new(id, id, "volunteer", "tel:+6281100000001", [serves], ["33.02"], at, null, active);
        var nearest = CaseMap.Nearest(Sokaraja, ["ambulance"],
            [P("far", Purwokerto), P("near", new GeoPoint(-7.4610, 109.2860)), P("food", Sokaraja, serves: "food"), P("off", Sokaraja, active: false), P("nowhere", null)]);
        Assert.That(nearest.Select(n => n.Partner.Id), Is.EqualTo(new[] { "near", "far" }));
        Assert.That(nearest[0].Km, Is.LessThan(0.2));
    }

    [TestCase("https://tiles.example.go.id/{z}/{x}/{y}.png")]
    [TestCase(null)]
    [TestCase("")]
    public void Check_AcceptsAServerOrNone(string? template) => Assert.DoesNotThrow(() => CaseMap.Check(template));

    [TestCase("https://{s}.tile.example.org/{z}/{x}/{y}.png")]
    [TestCase("tiles/{z}/{x}/{y}.png")]
    [TestCase("https://tiles.example.go.id/{z}/{x}.png")]
    [TestCase("ftp://tiles.example.go.id/{z}/{x}/{y}.png")]
    public void Check_RefusesWhatCannotServeTiles(string template) =>
        Assert.That(() => CaseMap.Check(template), Throws.TypeOf<SettingException>().With.Message.Contains("Dashboard:MapTiles"));

    [Test]
    public void ContentPolicy_AllowsTheTileServersImagesOnly()
    {
        Assert.That(DashboardSecurity.ContentPolicy("https://tiles.example.go.id/{z}/{x}/{y}.png"), Does.Contain("img-src 'self' data: https://tiles.example.go.id;"));
        Assert.That(DashboardSecurity.ContentPolicy(null), Does.Contain("img-src 'self' data:;"));
    }
}
