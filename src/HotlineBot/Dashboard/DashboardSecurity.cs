namespace HotlineBot.Dashboard;

/// <summary>The dashboard's browser-side protections, sent on every page but the webhooks.</summary>
public static class DashboardSecurity
{
    /// <summary>One year, as the reverse-proxy examples in deploy/ send it too.</summary>
    public const string Hsts = "max-age=31536000";

    /// <summary>
    /// Scripts from this site only — Blazor's and MudBlazor's files and <c>wwwroot/dashboard.js</c>; no inline script, no
    /// eval. Styles allow inline attributes, which MudBlazor sets on its components. Images from this site, data URLs
    /// and the map's tile server (<c>Dashboard:MapTiles</c>). The live connection is a same-origin WebSocket.
    /// </summary>
    public static string ContentPolicy(string? tiles) =>
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
        $"img-src 'self' data:{(CaseMap.Origin(tiles) is { } origin ? " " + origin : "")}; font-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
}
