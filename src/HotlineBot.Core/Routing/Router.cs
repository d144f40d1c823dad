using HotlineBot.Core.Dialogs;

namespace HotlineBot.Core.Routing;

/// <summary>Where a case is, and what it needs: what routing looks at. Never the NIK.</summary>
public sealed record RoutingRequest(string? DistrictCode, GeoPoint? Position, IReadOnlyList<string> Needs);

/// <summary>A partner that can take one need of a case; <see cref="Specificity"/> is how closely its area matches
/// (3 kecamatan, 2 regency, 1 province, 0 by radius only) and <see cref="DistanceKm"/> how far it is, when known.</summary>
public sealed record RouteCandidate(Partner Partner, string Need, int Specificity, double? DistanceKm);

/// <summary>
/// Chooses partners for a case (issue: routing): for each need, the active partners that serve it and cover the
/// case's kecamatan (an area code covers everything below it) or, when the case has a position, whose location and
/// radius reach it — most specific area first, then nearest, then by id so the choice is repeatable.
/// </summary>
public static class Router
{
    public static IReadOnlyList<RouteCandidate> Candidates(RoutingRequest request, IEnumerable<Partner> partners, string need)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(partners);
        var found = new List<RouteCandidate>();
        foreach (var partner in partners)
        {
            if (!partner.Active || !partner.Serves.Contains(need)) continue;
            var specificity = -1;      // every case is routed on the writer's path: no iterators per partner
            if (request.DistrictCode is { } district)
                foreach (var area in partner.Areas)
                    if (Covers(area, district)) specificity = Math.Max(specificity, area.AsSpan().Count('.') + 1);
            double? distance = request.Position is { } at && partner.Location is { } home ? Kilometres(at, home) : null;
            var inRadius = distance is not null && partner.RadiusKm is { } radius && distance <= radius;
            if (specificity < 0 && !inRadius) continue;
            found.Add(new RouteCandidate(partner, need, Math.Max(specificity, 0), distance));
        }
        return found
            .OrderByDescending(c => c.Specificity)
            .ThenBy(c => c.DistanceKm ?? double.MaxValue)
            .ThenBy(c => c.Partner.Id, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>For every need, up to <paramref name="fanOut"/> candidates not in <paramref name="exclude"/> (partners
    /// already asked for that need). A need with none is returned with an empty list: the duty officers take it.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<RouteCandidate>> Pick(RoutingRequest request, IReadOnlyCollection<Partner> partners,
        int fanOut, IReadOnlySet<(string Need, string PartnerId)>? exclude = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Needs.Distinct(StringComparer.Ordinal).ToDictionary(
            need => need,
            need => (IReadOnlyList<RouteCandidate>)Candidates(request, partners, need)
                .Where(c => exclude is null || !exclude.Contains((need, c.Partner.Id)))
                .Take(fanOut)
                .ToList(),
            StringComparer.Ordinal);
    }

    /// <summary><c>33.02</c> covers <c>33.02.19</c> and itself; <c>33.0</c> covers nothing (whole code parts only).</summary>
    public static bool Covers(string area, string district)
    {
        ArgumentNullException.ThrowIfNull(area);
        ArgumentNullException.ThrowIfNull(district);
        return district.StartsWith(area, StringComparison.Ordinal) && (district.Length == area.Length || district[area.Length] == '.');
    }

    /// <summary>Great-circle distance (haversine, mean Earth radius).</summary>
    public static double Kilometres(GeoPoint a, GeoPoint b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        const double R = 6371.0;
        static double Rad(double d) => d * Math.PI / 180;
        var dLat = Rad(b.Latitude - a.Latitude);
        var dLon = Rad(b.Longitude - a.Longitude);
        var h = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) + Math.Cos(Rad(a.Latitude)) * Math.Cos(Rad(b.Latitude)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * R * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }
}
