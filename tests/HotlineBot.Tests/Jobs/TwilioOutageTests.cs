using Dapper;
using HotlineBot.Jobs;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests.Jobs;

/// <summary>Twilio down for a while: nothing is lost, nothing is sent twice, and the breaker stops the hammering.</summary>
public sealed class TwilioOutageTests
{
    [Test]
    public async Task Outage_ThenThrottling_ThenRecovery_EveryMessageSentExactlyOnce()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        using var host = new HotlineHost(new() { ["Twilio:ApiBaseUrl"] = twilio.BaseUrl, ["Twilio:BreakDuration"] = "00:00:01" });
        host.CreateClient().Dispose();
        const int count = 12;
        var ids = new List<long>();
        await using (var connection = new SqliteConnection($"Data Source={host.DatabasePath}"))
        {
            for (var i = 0; i < count; i++)
            {
                var contact = await connection.ExecuteScalarAsync<long>(
                    "INSERT INTO contacts (address, channel, created_at, updated_at) VALUES (@A, 'sms', 0, 0) RETURNING id", new { A = $"tel:+62812000{i:D5}" });
                ids.Add(await connection.ExecuteScalarAsync<long>(
                    "INSERT INTO messages (contact_id, direction, provider, body, status, due_at, created_at) VALUES (@C, 'out', 'twilio', @B, 'queued', 0, 0) RETURNING id",
                    new { C = contact, B = $"pesan {i}" }));
            }
        }
        for (var i = 0; i < 5; i++) twilio.Then(500, "{}");   // enough for the breaker to open (5 sends, half failing)

        async Task DeliverDue()
        {
            using var scope = host.Services.CreateScope();
            foreach (var id in await scope.ServiceProvider.GetRequiredService<SweepOutboxJob>().RunAsync(CancellationToken.None))
                await scope.ServiceProvider.GetRequiredService<DeliverMessageJob>().RunAsync(id, CancellationToken.None);
        }

        await DeliverDue();
        var duringOutage = twilio.Requests.Count;
        Assert.That(duringOutage, Is.LessThan(count), "the breaker opened: not every queued message hit the failing server");

        await Task.Delay(TimeSpan.FromSeconds(1.2));          // the break passes (real time: the breaker's clock)
        for (var i = 0; i < 2; i++) twilio.Then(429, """{"code":20429,"message":"Too Many Requests"}""", retryAfter: "60");
        // After each break the breaker lets one probe through; a failed probe (429 here) opens it again.
        for (var round = 0; round < 8 && twilio.Requests.Count - duringOutage < count + 2; round++)
        {
            host.Clock.Advance(TimeSpan.FromHours(3));         // past every backoff and Retry-After (our clock)
            await DeliverDue();
            await Task.Delay(TimeSpan.FromSeconds(1.1));       // and past any break (the breaker's own clock)
        }

        await using var check = new SqliteConnection($"Data Source={host.DatabasePath}");
        Assert.That(await check.QueryAsync<string>("SELECT status FROM messages"), Is.All.EqualTo("sent"));
        var accepted = twilio.Requests.Select(r => r.Form["Body"]).GroupBy(b => b).ToDictionary(g => g.Key, g => g.Count());
        Assert.That(accepted.Keys, Has.Count.EqualTo(count));
        Assert.That(twilio.Requests.Count, Is.EqualTo(count + 5 + 2), "each scripted failure cost exactly one request; no hammering");
        Assert.That(await check.QueryAsync<long>("SELECT attempts FROM messages"), Is.All.LessThan(DeliverMessageJob.MaxAttempts),
            "waiting on an open breaker used up no attempts");
    }
}
