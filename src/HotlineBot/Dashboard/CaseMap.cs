using System.Globalization;
using HotlineBot.Core.Dialogs;
using HotlineBot.Core.Routing;

namespace HotlineBot.Dashboard;

/// <summary>
/// The map page's geometry (Web Mercator, as every slippy-map tile server cuts its tiles): the zoom that fits the open
/// cases, the 256-pixel tiles around their centre and each pin's place, in pixels from the centre — plain HTML, no map
/// script. Tiles come from <c>Dashboard:MapTiles</c> (a URL template with <c>{z}</c>, <c>{x}</c>, <c>{y}</c>), off
/// unless set: a tile request tells the tile server where the officers are looking — where vulnerable citizens live —
/// so an office chooses a server it trusts (its own, or one under contract). Without tiles, or when they cannot load,
/// the pins and the list of nearest partners still work.
/// </summary>
public sealed class CaseMap
{
    public const string TilesSetting = "Dashboard:MapTiles";
    public const string AttributionSetting = "Dashboard:MapAttribution";
    public const string DefaultAttribution = "© OpenStreetMap";

    /// <summary>The area the pins must fit in: a phone's width, the map's height, less a margin for the labels.</summary>
    private const double FitWidth = 300, FitHeight = 340;
    /// <summary>The area tiles cover around the centre: a wide screen's map.</summary>
    public const int HalfWidth = 700, HalfHeight = 210;
    private const int MinZoom = 5, MaxZoom = 15;

    public sealed record Tile(string Url, int Left, int Top);

    public sealed record Pin(string Label, int Left, int Top);

    public int Zoom { get; }
    private readonly double _cx, _cy;

    public CaseMap(IReadOnlyCollection<GeoPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0) { Zoom = MinZoom; return; }
        Zoom = MaxZoom;
        while (Zoom > MinZoom)
        {
            var xs = points.Select(p => X(p.Longitude, Zoom)).ToList();
            var ys = points.Select(p => Y(p.Latitude, Zoom)).ToList();
            if (xs.Max() - xs.Min() <= FitWidth && ys.Max() - ys.Min() <= FitHeight) break;
            Zoom--;
        }
        var (px, py) = (points.Select(p => X(p.Longitude, Zoom)).ToList(), points.Select(p => Y(p.Latitude, Zoom)).ToList());
        (_cx, _cy) = ((px.Min() + px.Max()) / 2, (py.Min() + py.Max()) / 2);
    }

    public static double X(double longitude, int zoom) => (longitude + 180) / 360 * 256 * Math.Pow(2, zoom);

    public static double Y(double latitude, int zoom)
    {
        var rad = latitude * Math.PI / 180;
        return (1 - Math.Log(Math.Tan(rad) + 1 / Math.Cos(rad)) / Math.PI) / 2 * 256 * Math.Pow(2, zoom);
    }

    /// <summary>Where a point goes, in pixels from the map's centre.</summary>
    public Pin PinAt(GeoPoint point, string label)
    {
        ArgumentNullException.ThrowIfNull(point);
        return new Pin(label, (int)Math.Round(X(point.Longitude, Zoom) - _cx), (int)Math.Round(Y(point.Latitude, Zoom) - _cy));
    }

    /// <summary>The tiles that cover the map around its centre, from a URL template.</summary>
    public IReadOnlyList<Tile> Tiles(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var count = 1 << Zoom;
        var tiles = new List<Tile>();
        for (var ty = (int)Math.Floor((_cy - HalfHeight) / 256); ty <= (int)Math.Floor((_cy + HalfHeight) / 256); ty++)
        {
            if (ty < 0 || ty >= count) continue;
            for (var tx = (int)Math.Floor((_cx - HalfWidth) / 256); tx <= (int)Math.Floor((_cx + HalfWidth) / 256); tx++)
            {
                var x = ((tx % count) + count) % count;
                var url = template.Replace("{z}", Zoom.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                    .Replace("{x}", x.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                    .Replace("{y}", ty.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
                tiles.Add(new Tile(url, (int)Math.Round(tx * 256 - _cx), (int)Math.Round(ty * 256 - _cy)));
            }
        }
        return tiles;
    }

    /// <summary>The partners nearest a case that serve one of its needs, nearest first.</summary>
    public static IReadOnlyList<(Partner Partner, double Km)> Nearest(GeoPoint at, IEnumerable<string> needs, IEnumerable<Partner> partners, int take = 3)
    {
        var wanted = needs.ToHashSet(StringComparer.Ordinal);
        return partners
            .Where(p => p.Active && p.Location is not null && p.Serves.Any(wanted.Contains))
            .Select(p => (Partner: p, Km: Router.Kilometres(at, p.Location!)))
            .OrderBy(p => p.Km).Take(take).ToList();
    }

    /// <summary>Stops the start on a template that is not an http(s) URL with exactly the {z}, {x} and {y} placeholders
    /// (a <c>{s}</c> subdomain placeholder is not filled in: name one server).</summary>
    public static void Check(string? template)
    {
        if (string.IsNullOrWhiteSpace(template)) return;
        var rest = template.Replace("{z}", "", StringComparison.Ordinal).Replace("{x}", "", StringComparison.Ordinal).Replace("{y}", "", StringComparison.Ordinal);
        if (Origin(template) is null || rest.Contains('{', StringComparison.Ordinal) || rest.Contains('}', StringComparison.Ordinal)
            || !template.Contains("{z}", StringComparison.Ordinal) || !template.Contains("{x}", StringComparison.Ordinal) || !template.Contains("{y}", StringComparison.Ordinal))
            throw new Configuration.SettingException($"{TilesSetting} '{template}' is not a tile URL such as https://tiles.example.go.id/{{z}}/{{x}}/{{y}}.png ({{z}}, {{x}}, {{y}} and no other placeholder).");
    }

    /// <summary>The tile server's origin for the page's Content-Security-Policy (img-src), or null when tiles are off.</summary>
    public static string? Origin(string? template) =>
        !string.IsNullOrWhiteSpace(template) && Uri.TryCreate(template.Replace("{", "", StringComparison.Ordinal).Replace("}", "", StringComparison.Ordinal), UriKind.Absolute, out var uri)
        && uri.Scheme is "https" or "http" ? uri.GetLeftPart(UriPartial.Authority) : null;
}
