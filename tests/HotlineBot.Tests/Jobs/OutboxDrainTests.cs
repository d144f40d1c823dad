using Dapper;
using Hangfire;
using HotlineBot.Jobs;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests.Jobs;

/// <summary>
/// The outbox drains at the pace it is set to, not at the sweep's: a busy contact (a volunteer, the officers' phone)
/// gets a burst of messages one contact gap apart, in order, each once. Real clock, real Hangfire server, real HTTP.
/// </summary>
public sealed class OutboxDrainTests
{
    [Test]
    [CancelAfter(120_000)]
    public async Task FortyMessagesToOneContact_WithAOneSecondGap_AreAllSentWithinFiftySeconds_InOrder_EachOnce(CancellationToken ct)
    {
        await using var twilio = await FakeTwilio.StartAsync();
        using var host = new HotlineHost(new()
        {
            ["Twilio:ApiBaseUrl"] = twilio.BaseUrl, ["Hangfire:Server"] = "true", ["Pacing:ContactGap"] = "00:00:01",
            ["Hotline:PartnersFile"] = null,
        }, realTime: true);
        host.CreateClient().Dispose();

        var ids = new List<long>();
        await using (var connection = new SqliteConnection($"Data Source={host.DatabasePath}"))
        {
            var contact = await connection.ExecuteScalarAsync<long>(
                "INSERT INTO contacts (address, channel, created_at, updated_at) VALUES ('tel:+6281200000077', 'sms', 0, 0) RETURNING id");
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            for (var i = 0; i < 40; i++)
                ids.Add(await connection.ExecuteScalarAsync<long>("""
                    INSERT INTO messages (contact_id, direction, provider, body, kind, status, due_at, created_at)
                    VALUES (@C, 'out', 'twilio', @B, 'partner_notification', 'queued', @Now, @Now) RETURNING id
                    """, new { C = contact, B = $"kasus {i:D2}", Now = now }));
        }
        var started = System.Diagnostics.Stopwatch.StartNew();
        // As the pipeline does after its commit: one delivery job per outbox row, all at once.
        var jobs = host.Services.GetRequiredService<IBackgroundJobClient>();
        foreach (var id in ids) jobs.Enqueue<DeliverMessageJob>(j => j.RunAsync(id, CancellationToken.None));

        while (twilio.Requests.Count < 40 && started.Elapsed < TimeSpan.FromSeconds(50)) await Task.Delay(200, ct);
        var took = started.Elapsed;
        await Task.Delay(1500, ct);   // anything sent twice would show now

        var bodies = twilio.Requests.Select(r => r.Form["Body"]).ToList();
        Assert.That(bodies, Has.Count.EqualTo(40), $"sent within 50 s (took {took.TotalSeconds:F1} s)");
        Assert.That(bodies, Is.EqualTo(Enumerable.Range(0, 40).Select(i => $"kasus {i:D2}")), "in order, each once");
        await using var check = new SqliteConnection($"Data Source={host.DatabasePath}");
        var sentAt = (await check.QueryAsync<long>("SELECT sent_at FROM messages WHERE direction = 'out' AND status = 'sent' ORDER BY id")).ToList();
        // Slots are a gap apart; a send that wakes late from its wait may leave the next one a little closer.
        Assert.That(sentAt.Zip(sentAt.Skip(1), (a, b) => b - a), Is.All.GreaterThanOrEqualTo(900), "one contact gap apart");
    }

    [Test]
    public async Task AMessageThatFailedTwice_DoesNotHoldBackTheContactsNextMessage_NorIsItSentEarly()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        using var host = new HotlineHost(new() { ["Twilio:ApiBaseUrl"] = twilio.BaseUrl, ["Hotline:PartnersFile"] = null });
        host.CreateClient().Dispose();
        twilio.Then(500, """{"code":20500,"message":"Internal Server Error"}""");
        twilio.Then(500, """{"code":20500,"message":"Internal Server Error"}""");
        long first, second;
        await using (var connection = new SqliteConnection($"Data Source={host.DatabasePath}"))
        {
            var contact = await connection.ExecuteScalarAsync<long>(
                "INSERT INTO contacts (address, channel, created_at, updated_at) VALUES ('tel:+6281200000078', 'sms', 0, 0) RETURNING id");
            var now = host.Clock.GetUtcNow().ToUnixTimeMilliseconds();
            const string Insert = """
                INSERT INTO messages (contact_id, direction, provider, body, kind, status, due_at, created_at)
                VALUES (@C, 'out', 'twilio', @B, 'officer_alert', 'queued', @Now, @Now) RETURNING id
                """;
            first = await connection.ExecuteScalarAsync<long>(Insert, new { C = contact, B = "pertama", Now = now });
            second = await connection.ExecuteScalarAsync<long>(Insert, new { C = contact, B = "kedua", Now = now });
        }
        async Task Deliver(long id)
        {
            using var scope = host.Services.CreateScope();
            await scope.ServiceProvider.GetRequiredService<DeliverMessageJob>().RunAsync(id, CancellationToken.None);
        }

        await Deliver(first);                // Twilio answers 500: back to the queue for a 30 s backoff
        await Deliver(second);               // after one failure, order still wins: it waits
        Assert.That(twilio.Requests, Has.Count.EqualTo(1));
        host.Clock.Advance(TimeSpan.FromSeconds(40));
        await Deliver(first);                // 500 again: now a backoff of about 2 minutes
        await Deliver(first);                // a second job for it (the sweep's, a hand-over's) within the backoff
        await Deliver(second);

        Assert.That(twilio.Requests.Select(r => r.Form["Body"]), Is.EqualTo(new[] { "pertama", "pertama", "kedua" }),
            "the failing one is not sent again before its backoff ends, and the next one no longer waits for it");
    }
}
