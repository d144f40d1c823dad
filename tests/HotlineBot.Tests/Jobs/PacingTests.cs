using Dapper;
using HotlineBot.Jobs;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests.Jobs;

/// <summary>Pacing with a fake clock: a burst is sent in full, never faster than configured.</summary>
public sealed class PacingTests
{
    private static async Task<List<long>> Queue(HotlineHost host, IEnumerable<(string Address, string Body)> messages)
    {
        await using var connection = new SqliteConnection($"Data Source={host.DatabasePath}");
        var ids = new List<long>();
        foreach (var (address, body) in messages)
        {
            var contact = await connection.ExecuteScalarAsync<long>(
                "INSERT INTO contacts (address, channel, created_at, updated_at) VALUES (@A, 'sms', 0, 0) ON CONFLICT (address) DO UPDATE SET updated_at = 0 RETURNING id", new { A = address });
            ids.Add(await connection.ExecuteScalarAsync<long>(
                "INSERT INTO messages (contact_id, direction, provider, body, status, due_at, created_at) VALUES (@C, 'out', 'twilio', @B, 'queued', 0, 0) RETURNING id",
                new { C = contact, B = body }));
        }
        return ids;
    }

    /// <summary>Delivers every id at once, as parallel Hangfire workers would, moving the fake clock in 50 ms steps and
    /// giving each released send real time to finish before the next step.</summary>
    private static async Task<List<long>> DeliverAll(HotlineHost host, IEnumerable<long> ids)
    {
        var jobs = ids.Select(async id =>
        {
            using var scope = host.Services.CreateScope();
            await scope.ServiceProvider.GetRequiredService<DeliverMessageJob>().RunAsync(id, CancellationToken.None);
        }).ToList();
        var all = Task.WhenAll(jobs);
        await Task.Delay(50);
        for (var step = 0; step < 2000 && !all.IsCompleted; step++)
        {
            host.Clock.Advance(TimeSpan.FromMilliseconds(50));
            await Task.Delay(25);
        }
        await all;
        await using var connection = new SqliteConnection($"Data Source={host.DatabasePath}");
        return (await connection.QueryAsync<long>("SELECT sent_at FROM messages WHERE status = 'sent' ORDER BY sent_at")).ToList();
    }

    [Test]
    public async Task Burst_AtFivePerSecond_IsSentInFullAndNeverFaster()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        using var host = new HotlineHost(new() { ["Twilio:ApiBaseUrl"] = twilio.BaseUrl, ["Pacing:PerSecond:twilio"] = "5" });
        host.CreateClient().Dispose();
        var ids = await Queue(host, Enumerable.Range(0, 20).Select(i => ($"tel:+62812000{i:D5}", $"pesan {i}")));

        var sentAt = await DeliverAll(host, ids);

        Assert.That(sentAt, Has.Count.EqualTo(20), "the whole burst went out");
        Assert.That(twilio.Requests, Has.Count.EqualTo(20));
        var mostInAnySecond = sentAt.Max(start => sentAt.Count(t => t >= start && t < start + 1000));
        Assert.That(mostInAnySecond, Is.LessThanOrEqualTo(5));
        Assert.That(sentAt[^1] - sentAt[0], Is.GreaterThanOrEqualTo(3800), "20 messages at 5/s take about four seconds");
    }

    [Test]
    public async Task LongSms_CostsOneUnitPerSegment()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        using var host = new HotlineHost(new() { ["Twilio:ApiBaseUrl"] = twilio.BaseUrl, ["Pacing:PerSecond:twilio"] = "2" });
        host.CreateClient().Dispose();
        var threeSegments = new string('a', 400);
        var ids = await Queue(host, [("tel:+6281200000001", threeSegments), ("tel:+6281200000002", "pendek")]);

        var sentAt = new List<long>();
        foreach (var id in ids) sentAt.AddRange((await DeliverAll(host, [id])).Except(sentAt));

        Assert.That(sentAt[1] - sentAt[0], Is.GreaterThanOrEqualTo(1500), "three segments at 2 per second hold the sender 1.5 s");
    }

    [Test]
    public async Task OneContact_GetsItsMessagesAtLeastThreeSecondsApart()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        using var host = new HotlineHost(new() { ["Twilio:ApiBaseUrl"] = twilio.BaseUrl, ["Pacing:ContactGap"] = "00:00:03" });
        host.CreateClient().Dispose();
        var ids = await Queue(host, [("tel:+6281200000001", "satu"), ("tel:+6281200000001", "dua"), ("tel:+6281200000001", "tiga")]);

        var sentAt = new List<long>();
        foreach (var id in ids) sentAt.AddRange((await DeliverAll(host, [id])).Except(sentAt));   // in order, as the outbox keeps them

        var times = sentAt.Order().ToList();
        Assert.That(times, Has.Count.EqualTo(3));
        Assert.That(times.Zip(times.Skip(1), (a, b) => b - a), Is.All.GreaterThanOrEqualTo(3000));
    }
}
