using Dapper;
using Hangfire;
using System.Diagnostics.Metrics;
using HotlineBot.Jobs;
using HotlineBot.Metrics;
using HotlineBot.Storage;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
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

        var ids = (await QueueAsync(host, "tel:+6281200000077", 40)).Select(m => m.Id).ToList();
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

    /// <summary>A partner's next notification is handed over ahead of new messages: during a flood the dispatcher holds
    /// every new message, and a hand-over that waited behind them all would give each partner one message per pass
    /// through the whole queue (before the fix: the partner's last message left 1,008th of 1,010). Here the partner's first send is slow, so the jobs of its other
    /// messages find it still sending and leave them to the hand-over, while a thousand other messages wait behind.</summary>
    [Test]
    [CancelAfter(120_000)]
    public async Task ABusyContactsNextMessage_IsHandedOverAheadOfTheQueue_NotBehindEveryOtherJob(CancellationToken ct)
    {
        await using var twilio = await FakeTwilio.StartAsync();
        using var host = new HotlineHost(new()
        {
            ["Twilio:ApiBaseUrl"] = twilio.BaseUrl, ["Hangfire:Server"] = "true", ["Outbox:Workers"] = "2",
            ["Pacing:ContactGap"] = "00:00:00", ["Pacing:PerSecond:twilio"] = "0", ["Hotline:PartnersFile"] = null,
        }, realTime: true);
        host.CreateClient().Dispose();

        List<QueuedMessage> partner = [], others = [];
        await using (var connection = new SqliteConnection($"Data Source={host.DatabasePath}"))
        {
            await connection.OpenAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            async Task<QueuedMessage> Queue(string address, string body)
            {
                var contact = await connection.ExecuteScalarAsync<long>("""
                    INSERT INTO contacts (address, channel, created_at, updated_at) VALUES (@A, 'sms', 0, 0)
                    ON CONFLICT (address) DO UPDATE SET updated_at = 0 RETURNING id
                    """, new { A = address }, tx);
                return new(await connection.ExecuteScalarAsync<long>("""
                    INSERT INTO messages (contact_id, direction, provider, body, kind, status, due_at, created_at)
                    VALUES (@C, 'out', 'twilio', @B, 'partner_notification', 'queued', @Now, @Now) RETURNING id
                    """, new { C = contact, B = body, Now = now }, tx), contact);
            }
            for (var i = 0; i < 10; i++) partner.Add(await Queue("tel:+6281200000079", $"mitra {i}"));
            for (var i = 0; i < 1000; i++) others.Add(await Queue($"tel:+62812{i:D8}", $"lain {i}"));
            await tx.CommitAsync(ct);
        }
        // As the pipeline does after each commit: every new row posted to the dispatcher, in the order they were made.
        twilio.Delay = form => form["Body"] == "mitra 0" ? TimeSpan.FromMilliseconds(300) : TimeSpan.Zero;
        var outbox = host.Services.GetRequiredService<OutboxDispatcher>();
        foreach (var id in partner.Concat(others)) outbox.Post(id);
        while (twilio.Requests.Count < 1010) await Task.Delay(100, ct);

        var order = twilio.Requests.Select(r => r.Form["Body"]).ToList();
        Assert.That(order.Where(b => b.StartsWith("mitra", StringComparison.Ordinal)), Is.EqualTo(Enumerable.Range(0, 10).Select(i => $"mitra {i}")), "in order");
        Assert.That(order.FindLastIndex(b => b.StartsWith("mitra", StringComparison.Ordinal)), Is.LessThan(order.IndexOf("lain 999")),
            "the partner's messages went one after another once the slow one was done, not one per pass through the queue");
    }

    /// <summary>A burst to one contact (a partner during a flood) runs each message once, in its turn: a run handed a
    /// message while an earlier one to the same contact is still being sent finds it waiting and does nothing, and on
    /// PostgreSQL that nothing is a transaction. The first send is slow, so every other message is posted meanwhile.</summary>
    [Test]
    [CancelAfter(60_000)]
    public async Task ABurstToOneContact_RunsEachMessageOnce_NoneBeforeItsTurn(CancellationToken ct)
    {
        await using var twilio = await FakeTwilio.StartAsync();
        using var host = new HotlineHost(new()
        {
            ["Twilio:ApiBaseUrl"] = twilio.BaseUrl, ["Hangfire:Server"] = "true",
            ["Pacing:ContactGap"] = "00:00:00", ["Pacing:PerSecond:twilio"] = "0", ["Hotline:PartnersFile"] = null,
        }, realTime: true);
        host.CreateClient().Dispose();
        using var runs = new MetricCollector<long>(host.Services.GetRequiredService<IMeterFactory>(), HotlineMetrics.MeterName, "hotline.outbox.runs");

        var ids = await QueueAsync(host, "tel:+6281200000076", 30);
        twilio.Delay = form => form["Body"] == "kasus 00" ? TimeSpan.FromMilliseconds(300) : TimeSpan.Zero;
        var outbox = host.Services.GetRequiredService<OutboxDispatcher>();
        foreach (var id in ids) outbox.Post(id);
        while (twilio.Requests.Count < 30) await Task.Delay(50, ct);
        await Task.Delay(500, ct);   // a run left behind would show now

        Assert.That(twilio.Requests.Select(r => r.Form["Body"]), Is.EqualTo(Enumerable.Range(0, 30).Select(i => $"kasus {i:D2}")), "in order, each once");
        // The start-up sweep may also post a message that is being sent meanwhile: its second run finds it done (harmless).
        var found = runs.GetMeasurementSnapshot().Where(m => (string)m.Tags["found"]! != "done").GroupBy(m => (string)m.Tags["found"]!)
            .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Sum(m => m.Value)}");
        Assert.That(string.Join(", ", found), Is.EqualTo("ready 30"), "one run per message, each finding it ready, none finding it waiting");
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

    /// <summary>Outbox rows to one contact, queued and due now, bodies "kasus 00", "kasus 01", …</summary>
    private static async Task<List<QueuedMessage>> QueueAsync(HotlineHost host, string address, int count)
    {
        await using var connection = new SqliteConnection($"Data Source={host.DatabasePath}");
        var contact = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO contacts (address, channel, created_at, updated_at) VALUES (@A, 'sms', 0, 0) RETURNING id", new { A = address });
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var ids = new List<QueuedMessage>();
        for (var i = 0; i < count; i++)
            ids.Add(new(await connection.ExecuteScalarAsync<long>("""
                INSERT INTO messages (contact_id, direction, provider, body, kind, status, due_at, created_at)
                VALUES (@C, 'out', 'twilio', @B, 'partner_notification', 'queued', @Now, @Now) RETURNING id
                """, new { C = contact, B = $"kasus {i:D2}", Now = now }), contact));
        return ids;
    }
}
