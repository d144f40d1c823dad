using Dapper;
using HotlineBot.Dashboard;
using HotlineBot.Jobs;
using HotlineBot.Tests.Dashboard;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests.Jobs;

/// <summary>The retention schedule on a fake clock: closed cases lose their personal data after a year, message texts
/// and dialog states after 90 days unless the reporter's case is still open; the figures stay.</summary>
public sealed class PurgePersonalDataJobTests
{
    private HotlineHost _host = null!;

    [SetUp]
    public void SetUp() => _host = new HotlineHost();

    [TearDown]
    public void TearDown() => _host.Dispose();

    private Task<PurgeResult> PurgeAsync() => _host.Services.GetRequiredService<PurgePersonalDataJob>().RunAsync(CancellationToken.None);

    private SqliteConnection Db() => new($"Data Source={_host.DatabasePath}");

    [Test]
    public async Task ClosedCase_AfterAYear_KeepsOnlyWhatTheReportsCount()
    {
        var code = await Reported.CaseAsync(_host, "+6281299990001", nik: "3302010101900003");
        await Reported.CaseAsync(_host, "+6281299990009", nik: "3302010101900003");      // a second report joins it
        var actions = _host.Services.GetRequiredService<CaseActions>();
        await actions.ChangeStatusAsync(code, "resolved", "diantar ke RSUD Margono", "rina", CancellationToken.None);

        _host.Clock.Advance(TimeSpan.FromDays(364));
        Assert.That((await PurgeAsync()).Cases, Is.Zero, "not a year yet");
        _host.Clock.Advance(TimeSpan.FromDays(2));
        Assert.That((await PurgeAsync()).Cases, Is.EqualTo(1));

        await using var db = Db();
        var row = await db.QuerySingleAsync<(string Name, string? Cipher, string? Index, string? Masked, string Address, string Status, string Needs, string District)>(
            "SELECT patient_name, nik_ciphertext, nik_index, nik_masked, address, status, needs, district_code FROM cases WHERE code = @Code", new { Code = code });
        Assert.That((row.Name, row.Cipher, row.Index, row.Masked, row.Address), Is.EqualTo(("", (string?)null, (string?)null, (string?)null, "")));
        Assert.That((row.Status, row.Needs, row.District), Is.EqualTo(("resolved", "ambulance", "33.02.19")), "what the reports count stays");
        var events = await db.QueryAsync<string>("SELECT actor || ' ' || detail FROM case_events");
        Assert.That(events, Has.None.Contains("Siti").And.None.Contains("karangrau").And.None.Contains("Margono").And.None.Contains("+62812999900"));

        var report = await _host.Services.GetRequiredService<Reports>().BuildAsync(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30), false, CancellationToken.None);
        Assert.That(report.Cases.Select(c => c.Code), Is.EqualTo(new[] { code }));
        Assert.That(report.Years.Single().Resolved, Is.EqualTo(1));

        await db.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE)");
        Assert.That(System.Text.Encoding.UTF8.GetString(await File.ReadAllBytesAsync(_host.DatabasePath)), Does.Not.Contain("Margono"),
            "the officer's note is not left in the file's free space");
    }

    [Test]
    public async Task OpenCase_IsNeverPurged_NorItsReportersMessages()
    {
        var code = await Reported.CaseAsync(_host, "+6281299990001");
        _host.Clock.Advance(TimeSpan.FromDays(800));

        var result = await PurgeAsync();

        await using var db = Db();
        Assert.That(await db.QuerySingleAsync<string>("SELECT patient_name FROM cases WHERE code = @Code", new { Code = code }), Is.EqualTo("Siti Aminah"));
        Assert.That(await db.QueryAsync<string>("""
            SELECT m.body FROM messages m JOIN contacts k ON k.id = m.contact_id WHERE k.address = 'tel:+6281299990001' AND m.direction = 'in' ORDER BY m.id
            """), Has.Member("Siti Aminah"));
        Assert.That(result.Cases, Is.Zero);
        Assert.That(await db.ExecuteScalarAsync<long>("SELECT count(*) FROM messages WHERE status = 'queued' AND body LIKE 'KASUS%Siti%'"), Is.EqualTo(2),
            "a notification still waiting to be sent keeps its text");
    }

    [Test]
    public async Task MessagesAndDialogs_AfterNinetyDays_WhenTheCaseIsClosed_AndTheSecondRunDoesNothing()
    {
        var code = await Reported.CaseAsync(_host, "+6281299990001");
        await _host.Services.GetRequiredService<CaseActions>().ChangeStatusAsync(code, "cancelled", "", "rina", CancellationToken.None);
        await Reported.SmsAsync(_host, "+6281299990002", "halo");          // an unfinished report, left to expire
        await Reported.SmsAsync(_host, "+6281299990002", "Budi");
        _host.Clock.Advance(TimeSpan.FromDays(91));

        var first = await PurgeAsync();

        Assert.That(first.Cases, Is.Zero, "the case itself waits a year");
        await using var db = Db();
        Assert.That(await db.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM messages WHERE (body LIKE '%Siti%' OR body = 'Budi') AND status NOT IN ('queued', 'sending')"), Is.Zero);
        Assert.That(first.Messages, Is.GreaterThan(10));
        Assert.That(await db.ExecuteScalarAsync<long>("SELECT count(*) FROM conversations WHERE status <> 'active' AND state <> '{}'"), Is.Zero);
        Assert.That(await db.ExecuteScalarAsync<long>("SELECT count(*) FROM conversations WHERE status = 'active'"), Is.EqualTo(1),
            "a dialog still active (no timer fired) is left alone");
        Assert.That(await PurgeAsync(), Is.EqualTo(new PurgeResult(0, 0, 0)));
    }
}
