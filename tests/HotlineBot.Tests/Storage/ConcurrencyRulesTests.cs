using System.Net;
using Dapper;
using HotlineBot.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace HotlineBot.Tests.Storage;

/// <summary>
/// Each rule that must hold with several writers (PostgreSQL, several instances), tested where it breaks without its
/// lock or claim: the test holds the row a rule locks, starts two writers at once, and lets go. With the rule's lock
/// the second writer waits and then sees the first one's work; without it both read the same state before either
/// commits — the race made certain instead of likely.
/// </summary>
public sealed class ConcurrencyRulesTests
{
    private const string Reporter = "+6281299990011";
    private const string Puskesmas = "+6281100000102";       // ambulance in Kec. Sokaraja
    private const string Ambulans = "+6281100000104";        // ambulance in all Banyumas
    private TestPostgres _postgres = null!;
    private FakeTwilio _twilio = null!;
    private HotlineHost _host = null!;

    [SetUp]
    public async Task SetUp()
    {
        _postgres = await TestPostgres.CreateAsync();
        (_twilio, _host) = await HotlineHost.WithFakeTwilioAsync(_postgres.Settings);
        _host.CreateClient().Dispose();
    }

    [TearDown]
    public async Task TearDown()
    {
        _host.Dispose();
        await _twilio.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    /// <summary>Holds a row lock in a transaction of the test's own until disposed.</summary>
    private async Task<IAsyncDisposable> HoldAsync(string sql, object? args)
    {
        var connection = new NpgsqlConnection(_postgres.ConnectionString);
        await connection.OpenAsync();
        var tx = await connection.BeginTransactionAsync();
        var rows = await connection.ExecuteAsync(sql, args, tx);
        if (args is not null) Assert.That(rows, Is.EqualTo(1), "the row to hold exists");
        return new Held(connection, tx);
    }

    /// <summary>Waits until <paramref name="count"/> of the service's transactions wait on a row lock (no sleeps: a
    /// busy machine only makes it slower).</summary>
    private async Task WaitersAsync(int count)
    {
        await using var connection = new NpgsqlConnection(_postgres.ConnectionString);
        for (var i = 0; i < 400; i++)
        {
            if (await connection.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") >= count) return;
            await Task.Delay(25);
        }
        Assert.Fail($"{count} writer(s) never waited on the held row");
    }

    private sealed class Held(NpgsqlConnection connection, NpgsqlTransaction tx) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await tx.CommitAsync();
            await connection.DisposeAsync();
        }
    }

    private async Task<string> ReportAsync(string from, string name)
    {
        foreach (var text in new[] { "halo", name, "3273056010900009", "ds karangrau rt2/3 kec sokaraja", "1", "tidak", "ya" }) await _host.SmsAsync(from, text);
        await _host.RunTimersAsync();
        Assert.That(_twilio.Requests.Count(r => r.Form["Body"].StartsWith("KASUS", StringComparison.Ordinal)), Is.EqualTo(2), "two partners asked for the ambulance");
        await using var db = await _host.OpenAsync();
        return await db.ExecuteScalarAsync<string>("SELECT code FROM cases ORDER BY id DESC LIMIT 1") ?? "";
    }

    [Test]
    public async Task TwoPartnersTerimaForOneNeed_AtOnce_OneTakesIt()
    {
        var code = await ReportAsync(Reporter, "Siti Aminah");
        Task<string> first, second;
        await using (await HoldAsync("UPDATE cases SET updated_at = updated_at WHERE code = @Code", new { Code = code }))
        {
            first = _host.SmsAsync(Puskesmas, $"TERIMA {code}");
            second = _host.SmsAsync(Ambulans, $"TERIMA {code}");
            await WaitersAsync(2);
        }
        var replies = await Task.WhenAll(first, second);

        await using var db = await _host.OpenAsync();
        Assert.That(await db.ExecuteScalarAsync<long>("SELECT count(*) FROM case_assignments WHERE status = 'accepted'"), Is.EqualTo(1),
            "one partner has the ambulance; the other is told it is taken");
        Assert.That(replies.Count(r => r.StartsWith("Tercatat", StringComparison.Ordinal)), Is.EqualTo(1), string.Join(" | ", replies));
        Assert.That(_host.Logs.GetSnapshot().Select(r => r.Message), Has.None.Contains("deadlock"), "the lock decided it, not a deadlock's retry");
    }

    [Test]
    public async Task AnOfficerClosesACase_WhileAPartnerTakesIt_TheCloseIsNotUndone()
    {
        var code = await ReportAsync(Reporter, "Siti Aminah");
        Task<bool> close;
        Task<string> terima;
        await using (await HoldAsync("UPDATE cases SET updated_at = updated_at WHERE code = @Code", new { Code = code }))
        {
            close = _host.Services.GetRequiredService<HotlineBot.Dashboard.CaseActions>().CloseAsync(code, resolved: false, "laporan ganda", "rina", CancellationToken.None);
            await WaitersAsync(1);             // the officer waits first for the case…
            terima = _host.SmsAsync(Puskesmas, $"TERIMA {code}");
            await WaitersAsync(2);             // …then the partner, who must not decide on what it read before the close
        }
        Assert.That(await close, Is.True);
        var reply = await terima;

        // Whichever the lock let in first, the close stands: a partner in first took the case and then saw it closed;
        // a partner after the close is told it is closed. Without the lock the partner decides on the status it read
        // before the close and writes "accepted" over it.
        await using var db = await _host.OpenAsync();
        Assert.That(await db.ExecuteScalarAsync<string>("SELECT status FROM cases WHERE code = @Code", new { Code = code }), Is.EqualTo("cancelled"), reply);
        var events = (await db.QueryAsync<string>("SELECT kind FROM case_events WHERE case_id = (SELECT id FROM cases WHERE code = @Code) ORDER BY id",
            new { Code = code })).ToList();
        if (reply.StartsWith("Tercatat", StringComparison.Ordinal))
            Assert.That(events.LastIndexOf("cancel"), Is.GreaterThan(events.IndexOf("accept")), "the close came after the acceptance");
    }

    [Test]
    public async Task TwoReportsAboutOnePatientAtOnce_MakeOneCase()
    {
        const string other = "+6281299990012";
        foreach (var text in new[] { "halo", "Siti Aminah", "3273056010900009", "ds karangrau rt2/3 kec sokaraja", "1", "tidak" })
        {
            await _host.SmsAsync(Reporter, text);
            await _host.SmsAsync(other, text);
        }
        Task<string> first, second;
        // Held: no case can be written. Both reports look for the patient's open case; only a lock on the patient makes
        // the second look again after the first one's case exists.
        await using (await HoldAsync("LOCK TABLE cases IN EXCLUSIVE MODE", null))
        {
            first = _host.SmsAsync(Reporter, "ya");
            second = _host.SmsAsync(other, "ya");
            await WaitersAsync(2);
        }
        await Task.WhenAll(first, second);

        await using var db = await _host.OpenAsync();
        Assert.That(await db.ExecuteScalarAsync<long>("SELECT count(*) FROM cases"), Is.EqualTo(1), "one patient, one case");
        Assert.That(await db.ExecuteScalarAsync<long>("SELECT count(*) FROM case_events WHERE kind = 'duplicate_report'"), Is.EqualTo(1));
    }

    [Test]
    public async Task ADeadlineDueWhileTwoInstancesSweep_EscalatesOnce()
    {
        var code = await ReportAsync(Reporter, "Siti Aminah");
        _host.Clock.Advance(TimeSpan.FromMinutes(31));
        Task first, second;
        await using (await HoldAsync("UPDATE cases SET updated_at = updated_at WHERE code = @Code", new { Code = code }))
        {
            first = Escalate();
            second = Escalate();
            await WaitersAsync(2);
        }
        await Task.WhenAll(first, second);

        await using var db = await _host.OpenAsync();
        Assert.That(await db.ExecuteScalarAsync<long>("SELECT count(*) FROM case_events WHERE kind = 'sla_accept_breached'"), Is.EqualTo(1));

        async Task Escalate()
        {
            using var scope = _host.Services.CreateScope();
            await scope.ServiceProvider.GetRequiredService<EscalateOverdueCasesJob>().RunAsync(CancellationToken.None);
        }
    }

    [Test]
    public async Task AReminderDueWhileTwoInstancesSweep_IsSentOnce()
    {
        await _host.SmsAsync(Reporter, "halo");
        _host.Clock.Advance(TimeSpan.FromMinutes(16));
        Task first, second;
        await using (await HoldAsync("UPDATE contacts SET updated_at = updated_at WHERE address = @Address", new { Address = "tel:" + Reporter }))
        {
            first = Fire();
            second = Fire();
            await WaitersAsync(2);
        }
        await Task.WhenAll(first, second);

        await using var db = await _host.OpenAsync();
        Assert.That(await db.ExecuteScalarAsync<long>("SELECT count(*) FROM messages WHERE kind = 'reminder'"), Is.EqualTo(1));

        async Task Fire()
        {
            using var scope = _host.Services.CreateScope();
            await scope.ServiceProvider.GetRequiredService<FireConversationTimersJob>().RunAsync(CancellationToken.None);
        }
    }

    [Test]
    public async Task OneMessageDeliveredTwiceAtOnce_IsProcessedOnce_AndBothGetTheSameReply()
    {
        await _host.SmsAsync(Reporter, "halo");
        var form = HotlineHost.SmsForm(Reporter, "Siti Aminah", _host.NextSid());
        Task<HttpResponseMessage> first, second;
        await using (await HoldAsync("UPDATE contacts SET updated_at = updated_at WHERE address = @Address", new { Address = "tel:" + Reporter }))
        {
            first = _host.PostTwilioAsync("/webhooks/twilio/messages", form);
            second = _host.PostTwilioAsync("/webhooks/twilio/messages", form);
            await WaitersAsync(2);
        }
        using var a = await first;
        using var b = await second;

        Assert.That((a.StatusCode, b.StatusCode), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK)));
        Assert.That(await b.Content.ReadAsStringAsync(), Is.EqualTo(await a.Content.ReadAsStringAsync()), "a retry gets the same reply");
        await using var db = await _host.OpenAsync();
        Assert.That(await db.ExecuteScalarAsync<long>("SELECT count(*) FROM messages WHERE direction = 'in' AND body = 'Siti Aminah'"), Is.EqualTo(1));
        Assert.That(await db.ExecuteScalarAsync<long>("SELECT count(*) FROM inbound_failures"), Is.Zero, "nothing failed on the way");
    }
}
