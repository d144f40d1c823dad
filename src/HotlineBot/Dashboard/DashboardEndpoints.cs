using HotlineBot.Channels.Twilio;
using HotlineBot.Channels.WhatsAppCloud;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace HotlineBot.Dashboard;

/// <summary>The dashboard's plain HTTP endpoints: sign-out, language, CSV and YAML downloads, a case's attachments.
/// All but the language switch need a signed-in user (the fallback policy).</summary>
public static class DashboardEndpoints
{
    /// <summary>Image types shown inline; anything else is downloaded, so a citizen's file never runs as our page.</summary>
    private static readonly HashSet<string> InlineTypes = ["image/jpeg", "image/png", "image/webp", "image/gif"];

    /// <summary>A path on this site, or "/": never an open redirect (<c>//host</c>, <c>/\host</c>, absolute URLs).</summary>
    public static string LocalPath(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal) ? url : "/";

    public static void MapDashboardEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/logout", async (HttpContext http, IAntiforgery antiforgery) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http)) return Results.BadRequest("antiforgery token missing or invalid");
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect("/login");
        });
        app.MapGet("/lang/{lang}", (HttpContext http, string lang, string? returnUrl) =>
        {
            http.Response.Cookies.Append(UiLanguage.Cookie, lang == "en" ? "en" : "id",
                new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, MaxAge = TimeSpan.FromDays(365), IsEssential = true, Secure = http.Request.IsHttps });
            return Results.LocalRedirect(LocalPath(returnUrl));
        }).AllowAnonymous();
        app.MapGet("/laporan/kasus.csv", async (HttpContext http, Reports reports, DateOnly from, DateOnly to, bool? simulated) =>
        {
            var report = await reports.BuildAsync(from, to, simulated ?? false, http.RequestAborted);
            http.Response.ContentType = "text/csv; charset=utf-8";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"hotline-kasus-{from:yyyyMMdd}-{to:yyyyMMdd}.csv\"";
            await using var writer = new StreamWriter(http.Response.Body, new System.Text.UTF8Encoding(false));
            await reports.WriteCsvAsync(writer, report);
        });
        app.MapGet("/mitra/export.yaml", async (PartnerAdmin partners, CancellationToken ct) =>
            Results.File(System.Text.Encoding.UTF8.GetBytes(await partners.ExportAsync(ct)), "application/yaml", "partners.yaml"));
        // A photo or document the reporter sent, fetched from the provider with our credentials; each view is audited.
        app.MapGet("/kasus/{code}/lampiran/{index:int}", async (HttpContext http, string code, int index, CaseActions actions,
            TwilioMedia twilio, WhatsAppCloudMedia cloud) =>
        {
            var reference = await actions.OpenAttachmentAsync(code, index, http.User.Identity?.Name ?? "unknown", http.RequestAborted);
            if (reference is null) return Results.NotFound();
            (byte[] Bytes, string? ContentType)? media;
            try
            {
                media = reference.StartsWith(WhatsAppCloudMedia.Prefix, StringComparison.Ordinal)
                    ? await cloud.FetchAsync(reference, http.RequestAborted)
                    : Uri.TryCreate(reference, UriKind.Absolute, out var url) ? await twilio.FetchAsync(url, http.RequestAborted) : null;
            }
            catch (HttpRequestException)
            {
                return Results.Text("the provider cannot be reached now; try again", statusCode: StatusCodes.Status502BadGateway);
            }
            if (media is not { } found) return Results.Text("the provider no longer has this file", statusCode: StatusCodes.Status404NotFound);
            http.Response.Headers.XContentTypeOptions = "nosniff";
            http.Response.Headers.CacheControl = "private, no-store";
            return found.ContentType is { } type && InlineTypes.Contains(type)
                ? Results.File(found.Bytes, type)
                : Results.File(found.Bytes, "application/octet-stream", $"lampiran-{code}-{index + 1}");
        });
    }
}
