using System.Net;
using HotlineBot.Dashboard;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests.Dashboard;

/// <summary>Who gets in, over plain HTTP: every dashboard page, API and Hangfire need a signed-in user; the webhooks
/// and health checks do not; forms need their antiforgery token.</summary>
public sealed class DashboardAccessTests
{
    private const string Password = "sandi-petugas-2026";
    private HotlineHost _host = null!;

    [SetUp]
    public async Task SetUp()
    {
        _host = new HotlineHost();
        await _host.Services.GetRequiredService<Officers>().AddAsync("rina", "Rina", Roles.Officer, Password, "test", CancellationToken.None);
    }

    [TearDown]
    public void TearDown() => _host.Dispose();

    private HttpClient Client() => _host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    [TestCase("/")]
    [TestCase("/pesan")]
    [TestCase("/mitra")]
    [TestCase("/laporan")]
    [TestCase("/simulator")]
    [TestCase("/kasus/1234")]
    [TestCase("/hangfire")]
    [TestCase("/hangfire/jobs/succeeded")]
    [TestCase("/laporan/kasus.csv?from=2026-01-01&to=2026-12-31")]
    [TestCase("/mitra/export.yaml")]
    [TestCase("/audit")]
    [TestCase("/pengguna")]
    [TestCase("/akun")]
    [TestCase("/kasus/1234/lampiran/0")]
    public async Task SignedOut_Get_RedirectsToSignIn(string path)
    {
        using var client = Client();
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location!.AbsolutePath, Is.EqualTo("/login"));
    }

    [Test]
    public async Task SignedOut_BlazorHub_IsRefused()
    {
        using var client = Client();
        using var response = await client.PostAsync(new Uri("/_blazor/negotiate?negotiateVersion=1", UriKind.Relative), null);
        Assert.That((int)response.StatusCode, Is.AnyOf(302, 401));
    }

    [Test]
    public async Task SignedOut_WebhooksAndHealth_AreNotBehindTheSignIn()
    {
        using var client = Client();
        using (var health = await client.GetAsync(new Uri("/healthz", UriKind.Relative))) Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var forged = await _host.PostTwilioAsync("/webhooks/twilio/messages", HotlineHost.SmsForm("+6281299990001", "halo", "SM1"), signature: "forged");
        Assert.That(forged.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "the webhook answers for itself: 403, not a redirect");
    }

    private static Task<string> AntiforgeryTokenAsync(HttpClient client) => HttpSignIn.TokenAsync(client, "/login");

    private static FormUrlEncodedContent LoginForm(string token, string password) => HttpSignIn.Form(token, "rina", password);

    [Test]
    public async Task SignIn_WithToken_OpensThePagesAndHangfire()
    {
        using var client = Client();
        var token = await AntiforgeryTokenAsync(client);
        Assert.That(token, Is.Not.Empty);

        using var signIn = await client.PostAsync(new Uri("/login", UriKind.Relative), LoginForm(token, Password));
        Assert.That(signIn.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(Local(signIn.Headers.Location), Is.EqualTo("/"));

        using (var queue = await client.GetAsync(new Uri("/", UriKind.Relative))) Assert.That(queue.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var hangfire = await client.GetAsync(new Uri("/hangfire", UriKind.Relative));
        Assert.That(hangfire.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await hangfire.Content.ReadAsStringAsync(), Does.Contain("HotlineBot · Hangfire"));
    }

    [Test]
    public async Task SignIn_WrongPassword_StaysOnTheFormWithoutACookie()
    {
        using var client = Client();
        using var signIn = await client.PostAsync(new Uri("/login", UriKind.Relative), LoginForm(await AntiforgeryTokenAsync(client), "salah-salah"));
        Assert.That(signIn.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await signIn.Content.ReadAsStringAsync(), Does.Contain("salah"));
        using var queue = await client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.That(queue.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
    }

    [Test]
    public async Task SignIn_ManyTriesFromOneAddress_AreSlowedDown()
    {
        using var client = Client();
        var token = await AntiforgeryTokenAsync(client);
        var statuses = new List<int>();
        for (var i = 0; i < 21; i++)
        {
            using var attempt = await client.PostAsync(new Uri("/login", UriKind.Relative), HttpSignIn.Form(token, $"tebak{i}", "tebakan-salah"));
            statuses.Add((int)attempt.StatusCode);
        }
        Assert.That(statuses.Take(20), Has.All.EqualTo(401), "twenty wrong guesses a minute are answered");
        Assert.That(statuses[20], Is.EqualTo(429), "the twenty-first is not");
    }

    [Test]
    public async Task SignIn_WithoutAntiforgeryToken_IsRefused()
    {
        using var client = Client();
        using var signIn = await client.PostAsync(new Uri("/login", UriKind.Relative), LoginForm("", Password));
        Assert.That(signIn.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task SignIn_ReturnUrlElsewhere_GoesHomeInstead()
    {
        using var client = Client();
        using var signIn = await client.PostAsync(new Uri("/login", UriKind.Relative),
            HttpSignIn.Form(await AntiforgeryTokenAsync(client), "rina", Password, returnUrl: "//evil.example/phish"));
        Assert.That(Local(signIn.Headers.Location), Is.EqualTo("/"));
    }

    [Test]
    public async Task SignOut_NeedsTheToken_ThenEndsTheSession()
    {
        using var client = Client();
        var token = await AntiforgeryTokenAsync(client);
        using (await client.PostAsync(new Uri("/login", UriKind.Relative), LoginForm(token, Password))) { }
        using (var forged = await client.PostAsync(new Uri("/logout", UriKind.Relative), new FormUrlEncodedContent([])))
            Assert.That(forged.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        using (var stillIn = await client.GetAsync(new Uri("/", UriKind.Relative))) Assert.That(stillIn.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var signedInToken = await HttpSignIn.TokenAsync(client, "/");
        using (var signOut = await client.PostAsync(new Uri("/logout", UriKind.Relative),
                   new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = signedInToken })))
            Assert.That(signOut.Headers.Location!.OriginalString, Is.EqualTo("/login"));
        using var after = await client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
    }

    [Test]
    public async Task AuditLog_IsForAdminsOnly()
    {
        using var officer = Client();
        await HttpSignIn.SignInAsync(officer, "rina", Password);
        using (var refused = await officer.GetAsync(new Uri("/audit", UriKind.Relative)))
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
            Assert.That(refused.Headers.Location!.AbsolutePath, Is.EqualTo("/tidak-berwenang"));
        }

        await _host.Services.GetRequiredService<Officers>().AddAsync("ani", "Ani", Roles.Admin, Password, "test", CancellationToken.None);
        using var admin = Client();
        await HttpSignIn.SignInAsync(admin, "ani", Password);
        using var allowed = await admin.GetAsync(new Uri("/audit", UriKind.Relative));
        Assert.That(allowed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await allowed.Content.ReadAsStringAsync(), Does.Contain("signed_in"));
    }

    [Test]
    public async Task Partners_AnOfficerSeesThemButCannotChangeThem()
    {
        using var officer = Client();
        await HttpSignIn.SignInAsync(officer, "rina", Password);
        var page = await officer.GetStringAsync(new Uri("/mitra", UriKind.Relative));
        Assert.That(page, Does.Contain("Puskesmas Sokaraja"));
        Assert.That(page, Does.Contain("Hanya admin yang dapat mengubah mitra."));
        Assert.That(page, Does.Not.Contain("data-testid=\"partner-new\"").And.Not.Contain("data-testid=\"import\""));
    }

    [Test]
    public async Task SignedInCookie_StopsWorkingOnceTheUserIsDeactivated()
    {
        using var officer = Client();
        await HttpSignIn.SignInAsync(officer, "rina", Password);
        using (var before = await officer.GetAsync(new Uri("/", UriKind.Relative))) Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        await _host.Services.GetRequiredService<Officers>().SetActiveAsync("rina", false, "admin", CancellationToken.None);

        using var after = await officer.GetAsync(new Uri("/", UriKind.Relative));
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(after.Headers.Location!.AbsolutePath, Is.EqualTo("/login"));
    }

    [Test]
    public async Task UsersPage_IsForAdminsOnly()
    {
        using var officer = Client();
        await HttpSignIn.SignInAsync(officer, "rina", Password);
        using var refused = await officer.GetAsync(new Uri("/pengguna", UriKind.Relative));
        Assert.That(refused.Headers.Location!.AbsolutePath, Is.EqualTo("/tidak-berwenang"));
    }

    [TestCase("/laporan/kasus.csv?from=kemarin&to=2026-12-31", 400)]
    [TestCase("/laporan/kasus.csv", 400)]
    [TestCase("/kasus/1234/lampiran/satu", 404)]
    [TestCase("/kasus/1234/lampiran/-1", 404)]
    [TestCase("/kasus/9999/lampiran/0", 404)]
    public async Task SignedIn_MalformedRequests_Are4xxNever500(string path, int status)
    {
        using var officer = Client();
        await HttpSignIn.SignInAsync(officer, "rina", Password);
        using var response = await officer.GetAsync(new Uri(path, UriKind.Relative));
        Assert.That((int)response.StatusCode, Is.EqualTo(status));
    }

    [Test]
    public async Task DashboardPages_CannotBeFramedOrSniffed()
    {
        using var client = Client();
        using var response = await client.GetAsync(new Uri("/login", UriKind.Relative));
        Assert.That(response.Headers.GetValues("X-Frame-Options").Single(), Is.EqualTo("DENY"));
        Assert.That(response.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
        Assert.That(response.Headers.GetValues("Referrer-Policy").Single(), Is.EqualTo("same-origin"));
    }

    [Test]
    public async Task Language_Link_NeverRedirectsOffSite()
    {
        using var client = Client();
        using var response = await client.GetAsync(new Uri("/lang/en?returnUrl=//evil.example", UriKind.Relative));
        Assert.That(response.Headers.Location!.OriginalString, Is.EqualTo("/"));
        Assert.That(response.Headers.GetValues("Set-Cookie").Single(), Does.StartWith("hb-lang=en"));
    }

    /// <summary>The path of a redirect on this site; the whole URL when it leads elsewhere.</summary>
    private static string Local(Uri? location) =>
        location is null ? "" : !location.IsAbsoluteUri ? location.OriginalString : location.Host == "localhost" ? location.PathAndQuery : location.ToString();
}
