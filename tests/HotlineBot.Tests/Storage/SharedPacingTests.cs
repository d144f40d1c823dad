using Dapper;
using HotlineBot.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests.Storage;

/// <summary>Two instances on one PostgreSQL keep one provider's rate between them, not twice it (the pacing slots are
/// rows in the database). Real clock, real HTTP to a fake Twilio.</summary>
public sealed class SharedPacingTests
{
    [Test]
    [CancelAfter(60_000)]
    public async Task TwoInstancesSendingAtOnce_KeepOneProvidersRateBetweenThem(CancellationToken ct)
    {
        await using var postgres = await TestPostgres.CreateAsync();
        await using var twilio = await FakeTwilio.StartAsync();
        HotlineHost Host(string id)
        {
            var settings = postgres.Settings;
            settings["Hotline:InstanceId"] = id;
            settings["Twilio:ApiBaseUrl"] = twilio.BaseUrl;
            settings["Pacing:PerSecond:twilio"] = "5";
            settings["Hotline:PartnersFile"] = null;
            var host = new HotlineHost(settings, realTime: true);
            host.CreateClient().Dispose();
            return host;
        }
        using var a = Host("a");
        using var b = Host("b");
        var ids = new List<long>();
        await using (var db = await a.OpenAsync())
            for (var i = 0; i < 20; i++)
            {
                var contact = await db.ExecuteScalarAsync<long>("INSERT INTO contacts (address, channel, created_at, updated_at) VALUES (@A, 'sms', 0, 0) RETURNING id",
                    new { A = $"tel:+62812555{i:D5}" });
                ids.Add(await db.ExecuteScalarAsync<long>("""
                    INSERT INTO messages (contact_id, direction, provider, body, kind, status, due_at, created_at)
                    VALUES (@C, 'out', 'twilio', 'pesan', 'partner_notification', 'queued', 0, 0) RETURNING id
                    """, new { C = contact }));
            }

        // Half the messages through each instance's delivery jobs, all at once.
        await Task.WhenAll(ids.Select((id, i) => Task.Run(async () =>
        {
            using var scope = (i % 2 == 0 ? a : b).Services.CreateScope();
            await scope.ServiceProvider.GetRequiredService<DeliverMessageJob>().RunAsync(id, CancellationToken.None);
        }, ct)));

        var at = twilio.Requests.Select(r => r.At).Order().ToList();
        Assert.That(at, Has.Count.EqualTo(20));
        Assert.That((at[^1] - at[0]).TotalSeconds, Is.GreaterThanOrEqualTo(3.0),
            "20 messages at 5 per second between them take about 3.8 s (at 5 per second each: 1.9 s)");
    }

    /// <summary>An unpaced provider's row is read, not locked: while one send held it, every other send of every
    /// instance queued behind that one row (a flood's deliveries went at the pace of one transaction at a time). A
    /// throttle the provider asked for is still kept.</summary>
    [Test]
    [CancelAfter(60_000)]
    public async Task UnpacedProvider_ASendDoesNotWaitForAnotherHoldingTheProvidersRow_ButAThrottleStillHolds(CancellationToken ct)
    {
        await using var postgres = await TestPostgres.CreateAsync();
        var settings = postgres.Settings;
        settings["Pacing:PerSecond:twilio"] = "0";
        settings["Pacing:ContactGap"] = "00:00:00";
        settings["Hotline:PartnersFile"] = null;
        using var host = new HotlineHost(settings, realTime: true);
        host.CreateClient().Dispose();
        var pacer = host.Services.GetRequiredService<HotlineBot.Channels.IPacer>();
        Assert.That(pacer, Is.InstanceOf<HotlineBot.Channels.DatabasePacer>());
        await pacer.ThrottledAsync("twilio", DateTimeOffset.UtcNow.AddSeconds(-1));     // the provider's row exists

        await using var other = await host.OpenAsync();
        await using var holding = await other.BeginTransactionAsync(ct);
        await other.ExecuteAsync("SELECT * FROM pacing WHERE key = 'provider:twilio' FOR UPDATE", transaction: holding);
        var database = host.Services.GetRequiredService<HotlineBot.Storage.Database>();
        Task<TimeSpan> Reserve(string contact) =>
            database.WriteAsync(tx => pacer.ReserveAsync(tx, "twilio", contact, 1, DateTimeOffset.UtcNow, TimeSpan.FromSeconds(20)), CancellationToken.None);
        var reserve = Reserve("tel:+6281255500001");
        var done = await Task.WhenAny(reserve, Task.Delay(TimeSpan.FromSeconds(5), ct));
        await holding.RollbackAsync(ct);

        Assert.That(done, Is.SameAs(reserve), "reserved while another transaction held the unpaced provider's row");
        Assert.That(await reserve, Is.EqualTo(TimeSpan.Zero));
        await pacer.ThrottledAsync("twilio", DateTimeOffset.UtcNow.AddSeconds(10));
        Assert.That(await Reserve("tel:+6281255500002"),
            Is.GreaterThan(TimeSpan.FromSeconds(8)), "the provider's throttle is still kept");
    }

    /// <summary>A send's pacing slot is taken in the transaction that claims its message: while it waits for the slot's
    /// row (another instance is taking the provider's next slot) nothing is committed, so a crash meanwhile leaves the
    /// message queued for the next run, not claimed until its lease ends. On PostgreSQL a send is then two transactions
    /// (the claim with its slot, the outcome), not three.</summary>
    [Test]
    [CancelAfter(60_000)]
    public async Task ASendWaitingForItsPacingSlot_HoldsNoClaim_AndIsSentOnceTheSlotIsFree(CancellationToken ct)
    {
        await using var postgres = await TestPostgres.CreateAsync();
        await using var twilio = await FakeTwilio.StartAsync();
        var settings = postgres.Settings;
        settings["Twilio:ApiBaseUrl"] = twilio.BaseUrl;
        settings["Pacing:PerSecond:twilio"] = "5";
        settings["Pacing:ContactGap"] = "00:00:00";
        settings["Hotline:PartnersFile"] = null;
        using var host = new HotlineHost(settings, realTime: true);
        host.CreateClient().Dispose();
        long id;
        await using (var db = await host.OpenAsync())
        {
            await db.ExecuteAsync("INSERT INTO pacing (key, next_at) VALUES ('provider:twilio', 0) ON CONFLICT (key) DO NOTHING");
            var contact = await db.ExecuteScalarAsync<long>("INSERT INTO contacts (address, channel, created_at, updated_at) VALUES ('tel:+6281255599999', 'sms', 0, 0) RETURNING id");
            id = await db.ExecuteScalarAsync<long>("""
                INSERT INTO messages (contact_id, direction, provider, body, kind, status, due_at, created_at)
                VALUES (@C, 'out', 'twilio', 'pesan', 'partner_notification', 'queued', 0, 0) RETURNING id
                """, new { C = contact });
        }

        await using var other = await host.OpenAsync();
        await using var holding = await other.BeginTransactionAsync(ct);
        await other.ExecuteAsync("SELECT * FROM pacing WHERE key = 'provider:twilio' FOR UPDATE", transaction: holding);
        var send = Task.Run(async () =>
        {
            using var scope = host.Services.CreateScope();
            await scope.ServiceProvider.GetRequiredService<DeliverMessageJob>().RunAsync(id, CancellationToken.None);
        }, ct);
        await Task.Delay(1000, ct);
        string status;
        await using (var db = await host.OpenAsync())
            status = await db.ExecuteScalarAsync<string>("SELECT status FROM messages WHERE id = @Id", new { Id = id }) ?? "";
        var sentMeanwhile = twilio.Requests.Count;
        await holding.RollbackAsync(ct);
        await send;

        Assert.That(status, Is.EqualTo("queued"), "while it waited for the provider's slot, its claim was not committed");
        Assert.That(sentMeanwhile, Is.Zero);
        Assert.That(twilio.Requests, Has.Count.EqualTo(1));
        await using var check = await host.OpenAsync();
        Assert.That(await check.ExecuteScalarAsync<string>("SELECT status FROM messages WHERE id = @Id", new { Id = id }), Is.EqualTo("sent"));
    }
}
