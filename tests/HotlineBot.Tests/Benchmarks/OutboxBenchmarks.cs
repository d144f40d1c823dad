using System.Diagnostics;
using System.Globalization;
using Dapper;
using Hangfire;
using HotlineBot.Jobs;
using HotlineBot.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests.Benchmarks;

/// <summary>
/// Measurements of the outbox's real work — the dispatcher, the delivery job, SQLite, HTTP to a fake Twilio on
/// loopback — for <c>tools/README.md</c>. Explicit: they print numbers and check only that everything was delivered;
/// no timing is asserted. Run with <c>tools/outbox-bench.sh</c>.
/// </summary>
[Explicit("a benchmark: tools/outbox-bench.sh")]
[Category("Benchmark")]
public sealed class OutboxBenchmarks
{
    private static readonly Dictionary<string, string?> Unpaced = new()
    {
        ["Hangfire:Server"] = "true", ["Pacing:ContactGap"] = "00:00:00", ["Pacing:PerSecond:twilio"] = "0",
    };

    /// <summary><c>BENCH_STORAGE=postgres</c>: on a database of its own on the server <c>HOTLINE_TEST_POSTGRES</c> names
    /// (tools/outbox-bench.sh starts a throwaway one, fsync on), where the pacer is shared through the database.</summary>
    private static string Engine => Environment.GetEnvironmentVariable("BENCH_STORAGE") is "postgres" ? "postgres" : "sqlite";

    private static int Env(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), CultureInfo.InvariantCulture, out var n) ? n : fallback;

    /// <summary>One queued outbox message to each of <paramref name="count"/> new contacts, in one transaction.</summary>
    private static async Task<List<QueuedMessage>> QueueAsync(HotlineHost host, int count, string body)
    {
        var ids = new List<QueuedMessage>(count);
        await using var db = await host.OpenAsync();
        await using var tx = await db.BeginTransactionAsync();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var i = 0; i < count; i++)
        {
            var contact = await db.ExecuteScalarAsync<long>("INSERT INTO contacts (address, channel, created_at, updated_at) VALUES (@A, 'sms', 0, 0) RETURNING id",
                new { A = $"tel:+62812{i:D8}" }, tx);
            ids.Add(new(await db.ExecuteScalarAsync<long>("""
                INSERT INTO messages (contact_id, direction, provider, body, kind, status, due_at, created_at)
                VALUES (@C, 'out', 'twilio', @B, 'partner_notification', 'queued', @Now, @Now) RETURNING id
                """, new { C = contact, B = body, Now = now }, tx), contact));
        }
        await tx.CommitAsync();
        return ids;
    }

    [Test]
    public async Task OutboundMessagesPerSecond_AcrossManyContacts_PacingOff()
    {
        var count = Env("BENCH_MESSAGES", 5000);
        await using var twilio = await FakeTwilio.StartAsync();
        using var host = new HotlineHost(new(Unpaced) { ["Twilio:ApiBaseUrl"] = twilio.BaseUrl, ["Hotline:PartnersFile"] = null }, realTime: true, engine: Engine);
        host.CreateClient().Dispose();
        var ids = await QueueAsync(host, count, "Kasus 4821: ambulans untuk Bapak Budi, Ds Karangrau, Sokaraja. Balas TERIMA 4821.");
        // As the pipeline does after its commit.
        var outbox = host.Services.GetRequiredService<OutboxDispatcher>();
        var clock = Stopwatch.StartNew();
        foreach (var id in ids) outbox.Post(id);
        while (twilio.Requests.Count < count && clock.Elapsed < TimeSpan.FromMinutes(5)) await Task.Delay(50);
        var sends = twilio.Requests.Select(r => r.At).Order().ToList();

        Assert.That(sends, Has.Count.EqualTo(count));
        var seconds = (sends[^1] - sends[0]).TotalSeconds;
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"outbox: {count} messages to {count} contacts, pacing off ({Engine}): {count / seconds:F0} messages/s (first to last send {seconds:F1} s; {clock.Elapsed.TotalSeconds:F1} s from enqueue)"));
    }

    [Test]
    public async Task PacedRate_IsTheProvidersSetting()
    {
        var rate = Env("BENCH_PACED_RATE", 50);
        var count = rate * Env("BENCH_PACED_SECONDS", 10);
        await using var twilio = await FakeTwilio.StartAsync();
        using var host = new HotlineHost(new()
        {
            ["Hangfire:Server"] = "true", ["Pacing:ContactGap"] = "00:00:00", ["Pacing:PerSecond:twilio"] = rate.ToString(CultureInfo.InvariantCulture),
            ["Twilio:ApiBaseUrl"] = twilio.BaseUrl, ["Hotline:PartnersFile"] = null,
        }, realTime: true, engine: Engine);
        host.CreateClient().Dispose();
        var ids = await QueueAsync(host, count, "Kasus 4821: ambulans. Balas TERIMA 4821.");
        var outbox = host.Services.GetRequiredService<OutboxDispatcher>();
        var clock = Stopwatch.StartNew();
        foreach (var id in ids) outbox.Post(id);
        while (twilio.Requests.Count < count && clock.Elapsed < TimeSpan.FromMinutes(5)) await Task.Delay(50);
        var sends = twilio.Requests.Select(r => r.At).Order().ToList();

        Assert.That(sends, Has.Count.EqualTo(count));
        // n sends at a rate r span (n - 1) / r seconds.
        var measured = (count - 1) / (sends[^1] - sends[0]).TotalSeconds;
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"paced: {count} one-segment SMS to {count} contacts at Pacing:PerSecond:twilio={rate} ({Engine}): {measured:F2}/s measured ({(measured / rate - 1) * 100:+0.0;-0.0} %)"));
    }

    [Test]
    public async Task ConfirmationToPartnerNotification_At20ReportsPerSecond()
    {
        var seconds = Env("BENCH_SECONDS", 30);
        var rate = Env("BENCH_REPORTS_PER_SECOND", 20);
        await using var twilio = await FakeTwilio.StartAsync();
        using var host = new HotlineHost(new(Unpaced) { ["Twilio:ApiBaseUrl"] = twilio.BaseUrl }, realTime: true, engine: Engine);
        using var client = new HttpClient { BaseAddress = new Uri(host.StartKestrel()) };

        async Task ReportAsync(int n)
        {
            foreach (var text in WholeReport.Steps(n, digits: 4))
            {
                var form = HotlineHost.SmsForm($"+62813{n:D8}", text, host.NextSid());
                using var request = Webhooks.SignedRequest.Twilio("/webhooks/twilio/messages", Webhooks.SignedRequest.FormBody(form));
                using var response = await client.SendAsync(request);
                response.EnsureSuccessStatusCode();
            }
        }

        var started = Stopwatch.StartNew();
        var running = new List<Task>();
        for (var n = 0; n < seconds * rate; n++)
        {
            var due = TimeSpan.FromSeconds((double)n / rate);
            if (due > started.Elapsed) await Task.Delay(due - started.Elapsed);
            running.Add(ReportAsync(n));
        }
        await Task.WhenAll(running);
        var offered = started.Elapsed;

        await using var db = await host.OpenAsync();
        const string Waiting = "SELECT count(*) FROM messages WHERE direction = 'out' AND status IN ('queued', 'sending')";
        while (await db.ExecuteScalarAsync<long>(Waiting) > 0 && started.Elapsed < offered + TimeSpan.FromMinutes(3)) await Task.Delay(100);
        var delays = (await db.QueryAsync<long>("""
            SELECT m.sent_at - c.created_at FROM messages m JOIN cases c ON c.id = m.case_id
            WHERE m.kind = 'partner_notification' AND m.status = 'sent'
            """)).Order().ToList();

        Assert.That(await db.ExecuteScalarAsync<long>(Waiting), Is.Zero, "everything left");
        Assert.That(await db.ExecuteScalarAsync<long>("SELECT count(*) FROM cases"), Is.EqualTo(seconds * rate));
        long P(double q) => delays[Math.Min(delays.Count - 1, (int)(q * delays.Count))];
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"latency: {seconds * rate} reports at {rate}/s ({seconds * rate / offered.TotalSeconds:F1}/s achieved), {delays.Count} partner notifications, pacing off ({Engine}): confirmation → notification sent p50 {P(0.50)} ms, p95 {P(0.95)} ms, max {delays[^1]} ms"));
    }
}
