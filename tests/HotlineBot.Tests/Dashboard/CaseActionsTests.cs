using HotlineBot.Core.Cases;
using Dapper;
using HotlineBot.Dashboard;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests.Dashboard;

/// <summary>What officers do to cases, on the real service and database: each action is a case event with the
/// officer's name, and the messages it causes are outbox rows.</summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed class CaseActionsTests(string engine)
{
    private const string Reporter = "+6281299990001";
    private HotlineHost _host = null!;
    private CaseActions Actions => _host.Services.GetRequiredService<CaseActions>();

    [SetUp]
    public void SetUp() => _host = new HotlineHost(engine: engine);

    [TearDown]
    public void TearDown() => _host.Dispose();

    private System.Data.Common.DbConnection Db() => _host.OpenAsync().GetAwaiter().GetResult();

    private async Task<List<(string Address, string Body)>> OutboxAsync(string kind)
    {
        await using var db = Db();
        return (await db.QueryAsync<(string, string)>("""
            SELECT k.address, m.body FROM messages m JOIN contacts k ON k.id = m.contact_id WHERE m.kind = @Kind AND m.status = 'queued' ORDER BY m.id
            """, new { Kind = kind })).ToList();
    }

    private async Task<List<(string Kind, string Actor, string Detail)>> EventsAsync(string code)
    {
        await using var db = Db();
        return (await db.QueryAsync<(string, string, string)>(
            "SELECT e.kind, e.actor, e.detail FROM case_events e JOIN cases c ON c.id = e.case_id WHERE c.code = @Code ORDER BY e.id", new { Code = code })).ToList();
    }

    [Test]
    public async Task RevealNik_ReturnsItAndWritesTheAuditLogFirst()
    {
        var code = await Reported.CaseAsync(_host, Reporter);

        Assert.That(await Actions.RevealNikAsync(code, "rina", CancellationToken.None), Is.EqualTo("3273056010900009"));

        await using var db = Db();
        Assert.That(await db.QueryAsync<(string, string, string)>("SELECT actor, action, subject FROM audit_log WHERE action = 'nik_revealed'"),
            Is.EqualTo(new[] { ("officer:rina", "nik_revealed", code) }));
        Assert.That(await EventsAsync(code), Does.Contain(("nik_revealed", "officer:rina", "")));
    }

    [Test]
    public async Task RevealNik_CaseWithoutNik_RevealsNothingAndAuditsNothing()
    {
        var code = await Reported.CaseAsync(_host, Reporter, nik: "tidak tahu");
        Assert.That(await Actions.RevealNikAsync(code, "rina", CancellationToken.None), Is.Null);
        await using var db = Db();
        Assert.That(await db.ExecuteScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'nik_revealed'"), Is.Zero);
    }

    [Test]
    public async Task Assign_NotifiesThePartnerWithTheMaskedNik()
    {
        var code = await Reported.CaseAsync(_host, Reporter);
        await _host.RunTimersAsync();

        Assert.That(await Actions.AssignAsync(code, "baznas-banyumas", replace: false, "rina", CancellationToken.None));

        var sent = (await OutboxAsync("partner_notification")).Where(s => s.Address == "whatsapp:+6281100000105").ToList();
        Assert.That(sent, Has.Count.EqualTo(1));
        Assert.That(sent[0].Body, Does.StartWith($"KASUS {code}: Siti Aminah, NIK 3273********0009"));
        Assert.That(await EventsAsync(code), Does.Contain(("assigned", "officer:rina", "baznas-banyumas: ambulance")));
    }

    [Test]
    public async Task Reassign_ReleasesTheEarlierPartnersAndTellsThem()
    {
        var code = await Reported.CaseAsync(_host, Reporter);
        await _host.RunTimersAsync();

        Assert.That(await Actions.AssignAsync(code, "baznas-banyumas", replace: true, "rina", CancellationToken.None));

        var sent = await OutboxAsync("partner_notification");
        Assert.That(sent.Where(s => s.Body == CaseMessages.PartnerReassigned(code)).Select(s => s.Address),
            Is.EquivalentTo(new[] { "tel:+6281100000102", "whatsapp:+6281100000104" }));
        await using var db = Db();
        Assert.That(await db.QueryAsync<(string, string)>("SELECT partner_id, status FROM case_assignments ORDER BY partner_id"),
            Is.EqualTo(new[] { ("ambulans-dinsos", "released"), ("baznas-banyumas", "notified"), ("puskesmas-sokaraja", "released") }));
    }

    [Test]
    public async Task Assign_APartnerWhoDeclined_AsksThemAgain()
    {
        var code = await Reported.CaseAsync(_host, Reporter);
        await Reported.SmsAsync(_host, "+6281100000102", $"TOLAK {code} sedang di luar kota");

        Assert.That(await Actions.AssignAsync(code, "puskesmas-sokaraja", replace: false, "rina", CancellationToken.None));

        await using var db = Db();
        Assert.That(await db.QuerySingleAsync<(string, long?)>(
            "SELECT status, responded_at FROM case_assignments WHERE partner_id = 'puskesmas-sokaraja'"), Is.EqualTo(("notified", (long?)null)));
        Assert.That((await OutboxAsync("partner_notification")).Count(s => s.Address == "tel:+6281100000102" && s.Body.StartsWith($"KASUS {code}", StringComparison.Ordinal)),
            Is.EqualTo(2), "the first notification and the officer's");
    }

    [Test]
    public async Task Assign_UnknownOrInactivePartner_ChangesNothing()
    {
        var code = await Reported.CaseAsync(_host, Reporter);
        var before = await EventsAsync(code);
        Assert.That(await Actions.AssignAsync(code, "tidak-ada", replace: false, "rina", CancellationToken.None), Is.False);
        Assert.That(await EventsAsync(code), Is.EqualTo(before));
    }

    [Test]
    public async Task ChangeStatus_Resolved_TellsTheReporterAndCountsAsAResolve()
    {
        var code = await Reported.CaseAsync(_host, Reporter);

        Assert.That(await Actions.ChangeStatusAsync(code, "resolved", "diantar ke RSUD", "rina", CancellationToken.None));

        Assert.That(await OutboxAsync("reporter_update"), Is.EqualTo(new[] { ("tel:" + Reporter, $"Laporan {code} sudah selesai ditangani. Terima kasih telah melapor.") }));
        Assert.That(await EventsAsync(code), Does.Contain(("resolve", "officer:rina", "diantar ke RSUD")));
        Assert.That(await Actions.ChangeStatusAsync(code, "resolved", "", "rina", CancellationToken.None), Is.False, "already resolved");
        Assert.That(await Actions.ChangeStatusAsync(code, "teleported", "", "rina", CancellationToken.None), Is.False);
    }

    /// <summary>What the close confirmation tells the officer ("mitra yang masih ditanya atau bekerja diberi tahu kasus
    /// ditutup"; the reporter hears of "selesai", not of "batal") is what happens.</summary>
    [TestCase("resolved", true)]
    [TestCase("cancelled", false)]
    public async Task Close_TellsThePartnersStillOnTheCase_AndTheReporterOnlyOfAResolve(string status, bool reporterTold)
    {
        var code = await Reported.CaseAsync(_host, Reporter);
        var asked = (await OutboxAsync("partner_notification")).Select(s => s.Address).Distinct().ToList();
        Assert.That(asked, Has.Count.EqualTo(2), "Puskesmas Sokaraja and the ambulance were asked");

        Assert.That(await Actions.CloseAsync(code, status == "resolved", "", "rina", CancellationToken.None));

        var closed = (await OutboxAsync("partner_notification")).Where(s => s.Body == CaseMessages.PartnerClosed(code)).Select(s => s.Address);
        Assert.That(closed, Is.EquivalentTo(asked), "every partner still asked hears the case is closed");
        Assert.That((await OutboxAsync("reporter_update")).Count, Is.EqualTo(reporterTold ? 1 : 0));
    }

    [Test]
    public async Task Message_ToTheReporter_NeverCarriesAFullNik()
    {
        var code = await Reported.CaseAsync(_host, Reporter);
        Assert.That(await Actions.MessageAsync(code, "reporter", "NIK 3273056010900009 sudah kami cek", "rina", CancellationToken.None));
        var sent = await OutboxAsync("reporter_update");
        Assert.That(sent.Single().Body, Does.Not.Contain("3273056010900009").And.Contain("3273********0009"));
        Assert.That(await Actions.MessageAsync(code, "   ", "halo", "rina", CancellationToken.None), Is.False, "nobody to send to");
    }

    [Test]
    public async Task Message_LongerThanThreeSms_IsRefused_EvenIfThePageLetItThrough()
    {
        var code = await Reported.CaseAsync(_host, Reporter);
        // 202 characters with an emoji: UCS-2, 67 a part, four SMS — though under the 459-character cap.
        Assert.That(await Actions.MessageAsync(code, "reporter", "Mohon ditunggu 🙏 " + new string('a', 184), "rina", CancellationToken.None), Is.False);
        Assert.That(await Actions.MessageAsync(code, "reporter", new string('a', 460), "rina", CancellationToken.None), Is.False);
        Assert.That(await OutboxAsync("reporter_update"), Is.Empty);
        Assert.That(await Actions.MessageAsync(code, "reporter", new string('a', 459), "rina", CancellationToken.None), "three GSM-7 SMS");
    }

    [Test]
    public async Task MarkDuplicate_ClosesTheCaseAndLinksBoth()
    {
        var kept = await Reported.CaseAsync(_host, Reporter);
        await Actions.ChangeStatusAsync(kept, "cancelled", "uji", "rina", CancellationToken.None);     // frees the NIK for a second case
        var second = await Reported.CaseAsync(_host, "+6281299990002");
        await Actions.ChangeStatusAsync(kept, "routed", "dibuka lagi", "rina", CancellationToken.None);

        Assert.That(await Actions.MarkDuplicateAsync(second, kept, "rina", CancellationToken.None));

        await using var db = Db();
        Assert.That(await db.QuerySingleAsync<(string, string)>("SELECT status, duplicate_of FROM cases WHERE code = @Code", new { Code = second }),
            Is.EqualTo(("cancelled", kept)));
        Assert.That(await EventsAsync(second), Does.Contain(("duplicate_of", "officer:rina", kept)));
        Assert.That(await EventsAsync(kept), Does.Contain(("duplicate_linked", "officer:rina", second)));
        Assert.That(await Actions.MarkDuplicateAsync(second, second, "rina", CancellationToken.None), Is.False, "not a duplicate of itself");
    }

    [Test]
    public async Task RetryMessage_OnlyAFailedOne_AndAudited()
    {
        await Reported.CaseAsync(_host, Reporter);
        await using var db = Db();
        var id = await db.QuerySingleAsync<long>("SELECT min(id) FROM messages WHERE kind = 'partner_notification'");
        Assert.That(await Actions.RetryMessageAsync(id, "rina", CancellationToken.None), Is.False, "still queued: nothing to retry");

        await db.ExecuteAsync("UPDATE messages SET status = 'failed', attempts = 1, last_error = 'twilio 400 21211: invalid' WHERE id = @Id", new { Id = id });
        Assert.That(await Actions.RetryMessageAsync(id, "rina", CancellationToken.None));

        Assert.That(await db.QuerySingleAsync<(string, long)>("SELECT status, attempts FROM messages WHERE id = @Id", new { Id = id }), Is.EqualTo(("queued", 0L)));
        Assert.That(await db.QuerySingleAsync<string>("SELECT actor FROM audit_log WHERE action = 'message_retried'"), Is.EqualTo("officer:rina"));
    }
}
