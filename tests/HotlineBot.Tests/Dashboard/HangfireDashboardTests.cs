using System.Net;
using Dapper;
using Hangfire;
using Hangfire.Storage;
using HotlineBot.Dashboard;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests.Dashboard;

/// <summary>Hangfire's dashboard is read-only for officers; an admin's job actions there are audited.</summary>
public sealed class HangfireDashboardTests
{
    private const string Password = "sandi-petugas-2026";
    private HotlineHost _host = null!;

    [SetUp]
    public async Task SetUp()
    {
        _host = new HotlineHost();
        var officers = _host.Services.GetRequiredService<Officers>();
        await officers.AddAsync("rina", "Rina", Roles.Officer, Password, "test", CancellationToken.None);
        await officers.AddAsync("adi", "Adi", Roles.Admin, Password, "test", CancellationToken.None);
    }

    [TearDown]
    public void TearDown() => _host.Dispose();

    private async Task<HttpClient> SignedInAsync(string username)
    {
        var client = _host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        await HttpSignIn.SignInAsync(client, username, Password);
        return client;
    }

    /// <summary>Deletes the retention purge as a page could: the signed-in user's cookie and an antiforgery token
    /// taken from one of our own forms (Hangfire's page renders none of its own).</summary>
    private static async Task<HttpStatusCode> RemoveRetentionPurgeAsync(HttpClient client)
    {
        var token = await HttpSignIn.TokenAsync(client, "/login");
        Assert.That(token, Is.Not.Empty);
        using var response = await client.PostAsync(new Uri("/hangfire/recurring/remove", UriKind.Relative),
            new FormUrlEncodedContent([new("jobs[]", "retention-purge"), new("__RequestVerificationToken", token)]));
        return response.StatusCode;
    }

    private bool RetentionPurgeExists()
    {
        using var connection = _host.Services.GetRequiredService<JobStorage>().GetConnection();
        return connection.GetRecurringJobs().Exists(j => j.Id == "retention-purge");
    }

    [Test]
    public async Task Officer_CannotDeleteARecurringJob()
    {
        using var client = await SignedInAsync("rina");

        Assert.That((int)await RemoveRetentionPurgeAsync(client), Is.InRange(400, 499));
        Assert.That(RetentionPurgeExists(), Is.True);
    }

    [Test]
    public async Task Admin_DeletingARecurringJob_IsAudited()
    {
        using var client = await SignedInAsync("adi");

        Assert.That((int)await RemoveRetentionPurgeAsync(client), Is.InRange(200, 299));
        Assert.That(RetentionPurgeExists(), Is.False);
        await using var db = new SqliteConnection($"Data Source={_host.DatabasePath}");
        var entry = await db.QuerySingleAsync<(string Actor, string Action, string Subject)>(
            "SELECT actor, action, subject FROM audit_log WHERE action LIKE 'hangfire%'");
        Assert.That(entry, Is.EqualTo(("officer:adi", "hangfire_recurring_remove", "retention-purge")));

        // The page's own counter refresh is a POST too, every few seconds: not an action, not audited.
        using var stats = await client.PostAsync(new Uri("/hangfire/stats", UriKind.Relative), new FormUrlEncodedContent([new("metrics[]", "enqueued:count"),
            new("__RequestVerificationToken", await HttpSignIn.TokenAsync(client, "/login"))]));
        Assert.That(stats.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await db.ExecuteScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action LIKE 'hangfire%'"), Is.EqualTo(1));
    }
}
