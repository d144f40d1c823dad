using System.Net;
using HotlineBot.Dashboard;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests.Storage;

/// <summary>Two instances on one PostgreSQL share what a person notices: an officer's page hears a case that came in
/// through the other instance, and a sign-in made on one instance is good on the other (one key ring).</summary>
public sealed class SharedAcrossInstancesTests
{
    private TestPostgres _postgres = null!;
    private HotlineHost _a = null!, _b = null!;

    [SetUp]
    public async Task SetUp()
    {
        _postgres = await TestPostgres.CreateAsync();
        var a = _postgres.Settings;
        a["Hotline:InstanceId"] = "a";
        var b = _postgres.Settings;
        b["Hotline:InstanceId"] = "b";
        _a = new HotlineHost(a);
        _a.CreateClient().Dispose();
        _b = new HotlineHost(b);
        _b.CreateClient().Dispose();
    }

    [TearDown]
    public async Task TearDown()
    {
        _a.Dispose();
        _b.Dispose();
        await _postgres.DisposeAsync();
    }

    [Test]
    public async Task AMessageThroughOneInstance_ReachesTheOtherInstancesPages()
    {
        var heard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _b.Services.GetRequiredService<LiveUpdates>().Changed += () => heard.TrySetResult();
        await using (var db = new Npgsql.NpgsqlConnection(_postgres.ConnectionString))      // both instances are listening
            for (var i = 0; i < 200 && await Dapper.SqlMapper.ExecuteScalarAsync<long>(db,
                     "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'") < 2; i++)
                await Task.Delay(25);

        await _a.SmsAsync("+6281299990031", "halo");

        Assert.That(await Task.WhenAny(heard.Task, Task.Delay(5000)), Is.SameAs(heard.Task), "B's pages were told within 5 s");
    }

    [Test]
    public async Task ASignInOnOneInstance_IsGoodOnTheOther()
    {
        await _a.Services.GetRequiredService<Officers>().AddAsync("rina", "Rina", Roles.Officer, "kata-sandi-panjang-1", "test", CancellationToken.None);
        var cookie = await SignInOnAAsync();

        using var onB = _b.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/pesan");
        request.Headers.Add("Cookie", cookie);
        using var response = await onB.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "B reads A's cookie: one key ring");
        // Both hosts of this test run on one machine, where a key folder would be shared too: the ring must be the database's.
        await using var db = await _a.OpenAsync();
        Assert.That(await Dapper.SqlMapper.ExecuteScalarAsync<long>(db, "SELECT count(*) FROM data_protection_keys"), Is.GreaterThan(0));
    }

    /// <summary>Signs in on A as a browser would (the sign-in page's antiforgery cookie and token, then the form) and
    /// returns the sign-in cookie as a Cookie header.</summary>
    private async Task<string> SignInOnAAsync()
    {
        using var client = _a.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var page = await client.GetAsync(new Uri("/login", UriKind.Relative));
        var antiforgery = string.Join("; ", page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        var token = System.Text.RegularExpressions.Regex.Match(await page.Content.ReadAsStringAsync(), "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        using var post = new HttpRequestMessage(HttpMethod.Post, "/login") { Content = Dashboard.HttpSignIn.Form(token, "rina", "kata-sandi-panjang-1") };
        post.Headers.Add("Cookie", antiforgery);
        using var signedInResponse = await client.SendAsync(post);
        Assert.That((int)signedInResponse.StatusCode, Is.EqualTo(302));
        return string.Join("; ", signedInResponse.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
    }
}
