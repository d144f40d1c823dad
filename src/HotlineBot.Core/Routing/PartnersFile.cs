using System.Globalization;
using HotlineBot.Core.Cases;
using HotlineBot.Core.Dialogs;
using HotlineBot.Core.Indonesia;
using HotlineBot.Core.Indonesia.Regions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace HotlineBot.Core.Routing;

/// <summary>
/// Reads a partners file (DESIGN.md §3). All or nothing: any error refuses the whole file, and every error names its
/// line, so an officer can fix the file and import it again without a half-imported network.
/// </summary>
public static class PartnersFile
{
    public sealed record Result(IReadOnlyList<Partner> Partners, IReadOnlyList<string> Errors);

    public static Result Read(string yaml, string sourceFile, RegionIndex regions)
    {
        ArgumentNullException.ThrowIfNull(regions);
        var partners = new List<Partner>();
        var errors = new List<string>();
        YamlSequenceNode? list;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            list = stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode root
                && root.Children.TryGetValue(new YamlScalarNode("partners"), out var node) ? node as YamlSequenceNode : null;
        }
        catch (YamlException e)
        {
            return new Result([], [$"{sourceFile}:{e.Start.Line}: {e.Message}"]);
        }
        if (list is null) return new Result([], [$"{sourceFile}:1: the file needs a top-level 'partners:' list"]);

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in list)
        {
            var line = (int)item.Start.Line;
            void Error(string message) => errors.Add($"{sourceFile}:{line}: {message}");
            if (item is not YamlMappingNode map) { Error("each partner is a mapping (id:, name:, ...)"); continue; }
            string? Scalar(string key) => map.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s ? s.Value : null;
            List<string> Sequence(string key) => map.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlSequenceNode seq
                ? seq.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? "").ToList() : [];

            var known = new HashSet<string> { "id", "name", "kind", "contact", "serves", "areas", "location", "radius_km", "active" };
            foreach (var key in map.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "").Where(k => !known.Contains(k)))
                Error($"unknown field '{key}'");

            var id = Scalar("id") ?? "";
            if (!System.Text.RegularExpressions.Regex.IsMatch(id, "^[a-z0-9][a-z0-9-]*$")) Error($"id '{id}' must be a slug (a-z, 0-9, -)");
            else if (!ids.Add(id)) Error($"id '{id}' is used twice");
            var name = Scalar("name");
            if (string.IsNullOrWhiteSpace(name)) Error("name is missing");
            var kind = Scalar("kind") ?? "";
            if (!Partner.Kinds.Contains(kind)) Error($"kind '{kind}' is not one of {string.Join(", ", Partner.Kinds)}");
            var contact = Contact(Scalar("contact") ?? "");
            if (contact is null) Error($"contact '{Scalar("contact")}' is not a phone number (\"+62…\" or \"whatsapp:+62…\")");
            var serves = Sequence("serves");
            if (serves.Count == 0) Error("serves lists no need");
            foreach (var need in serves.Where(n => !NeedKeys.IsKnown(n))) Error($"need '{need}' is not one of {string.Join(", ", NeedKeys.All)}");
            var areas = Sequence("areas");
            foreach (var area in areas.Where(a => regions.Find(a) is null)) Error($"area '{area}' is not a Kemendagri code (\"33\", \"33.02\", \"33.02.19\")");

            GeoPoint? location = null;
            if (map.Children.TryGetValue(new YamlScalarNode("location"), out var loc))
            {
                static string? Field(YamlMappingNode m, string key) =>
                    m.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s ? s.Value : null;
                if (loc is YamlMappingNode l
                    && double.TryParse(Field(l, "lat"), NumberStyles.Float, CultureInfo.InvariantCulture, out var lat)
                    && double.TryParse(Field(l, "lon"), NumberStyles.Float, CultureInfo.InvariantCulture, out var lon)
                    && lat is >= -90 and <= 90 && lon is >= -180 and <= 180)
                    location = new GeoPoint(lat, lon);
                else Error("location needs lat and lon in degrees: { lat: -7.46, lon: 109.29 }");
            }
            double? radius = null;
            if (Scalar("radius_km") is { } r)
            {
                if (double.TryParse(r, NumberStyles.Float, CultureInfo.InvariantCulture, out var km) && km > 0) radius = km;
                else Error($"radius_km '{r}' must be a positive number");
            }
            if (radius is not null && location is null) Error("radius_km needs a location");
            if (areas.Count == 0 && radius is null) Error("the partner covers nothing: give areas, or a location with radius_km");
            var active = Scalar("active") is not { } a || !a.Equals("false", StringComparison.OrdinalIgnoreCase);

            if (contact is not null && name is not null)
                partners.Add(new Partner(id, name, kind, contact, serves, areas, location, radius, active));
        }
        return errors.Count > 0 ? new Result([], errors) : new Result(partners, []);
    }

    /// <summary><c>+6281…</c> or <c>0812…</c> → <c>tel:+6281…</c>; <c>whatsapp:+62…</c> stays WhatsApp.</summary>
    public static string? Contact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var whatsApp = text.StartsWith("whatsapp:", StringComparison.OrdinalIgnoreCase);
        var number = IndonesianPhone.ToE164(whatsApp ? text["whatsapp:".Length..] : text);
        return number is null ? null : (whatsApp ? "whatsapp:" : "tel:") + number;
    }
}
