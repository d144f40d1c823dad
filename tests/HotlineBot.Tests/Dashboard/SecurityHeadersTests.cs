using HotlineBot.Dashboard;

namespace HotlineBot.Tests.Dashboard;

/// <summary>
/// The dashboard's headers over real loopback HTTP, as a reverse proxy on the same host forwards it: a
/// Content-Security-Policy that allows only our own scripts; behind HTTPS (X-Forwarded-Proto) HSTS and cookies marked
/// Secure — the antiforgery cookie and the language cookie too; none of that on plain HTTP, where it would lock the
/// office out of a test install.
/// </summary>
[NonParallelizable]
public sealed class SecurityHeadersTests
{
    private HotlineHost _host = null!;
    private string _baseUrl = "";

    [OneTimeSetUp]
    public void Start()
    {
        _host = new HotlineHost(new() { [CaseMap.TilesSetting] = "https://tiles.dinsos.example.go.id/{z}/{x}/{y}.png" });
        _baseUrl = _host.StartKestrel().TrimEnd('/');
    }

    [OneTimeTearDown]
    public void Stop() => _host.Dispose();

    private async Task<HttpResponseMessage> GetAsync(string path, bool https)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, _baseUrl + path);
        if (https) request.Headers.Add("X-Forwarded-Proto", "https");
        return await client.SendAsync(request);
    }

    private static string Cookie(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues("Set-Cookie", out var all) ? all.FirstOrDefault(c => c.StartsWith(name + "=", StringComparison.Ordinal)) ?? "" : "";

    [Test]
    public async Task ContentPolicy_OurScriptsOnly_TheTileServersImages_NeverFramed()
    {
        using var response = await GetAsync("/login", https: false);
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.That(response.Headers.GetValues("Content-Security-Policy").Count(), Is.EqualTo(1), "one policy, not Blazor's and ours");
        Assert.That(policy, Does.Contain("script-src 'self';"));
        Assert.That(policy, Does.Not.Contain("unsafe-eval").And.Not.Contain("script-src 'self' 'unsafe-inline'"));
        Assert.That(policy, Does.Contain("img-src 'self' data: https://tiles.dinsos.example.go.id;"));
        Assert.That(policy, Does.Contain("frame-ancestors 'none'").And.Contain("object-src 'none'"));
    }

    [Test]
    public async Task BehindHttps_HstsAndSecureCookies()
    {
        using var login = await GetAsync("/login", https: true);
        Assert.That(login.Headers.GetValues("Strict-Transport-Security").Single(), Is.EqualTo("max-age=31536000"));
        Assert.That(Cookie(login, "hb.antiforgery"), Does.Contain("secure").IgnoreCase, "the antiforgery cookie");
        using var language = await GetAsync("/lang/en?returnUrl=/login", https: true);
        Assert.That(Cookie(language, UiLanguage.Cookie), Does.Contain("secure").IgnoreCase, "the language cookie");
    }

    [Test]
    public async Task PlainHttp_NoHsts_CookiesStillWork()
    {
        using var login = await GetAsync("/login", https: false);
        Assert.That(login.Headers.Contains("Strict-Transport-Security"), Is.False);
        Assert.That(Cookie(login, "hb.antiforgery"), Is.Not.Empty.And.Not.Contain("secure").IgnoreCase);
    }
}
