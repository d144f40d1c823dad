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
        Assert.That(sentAt.Zip(sentAt.Skip(1), (a, b) => b - a), Is.All.GreaterThanOrEqualTo(990), "one contact gap apart");
    }
}
