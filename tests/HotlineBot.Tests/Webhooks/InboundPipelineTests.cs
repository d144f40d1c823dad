using Dapper;
using HotlineBot.Core.Dialogs;
using HotlineBot.Dashboard;
using HotlineBot.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests.Webhooks;

/// <summary>What the pipeline does with the engine's events, above all the promise of a handoff: "Petugas kami akan
/// menghubungi nomor ini" must reach an officer.</summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed class InboundPipelineTests(string engine)
{
    private const string Citizen = "+6281277770001";
    private const string DutyOfficer = "+6281100000999";

    [Test]
    public void HandledEvents_CoverEveryDialogEvent()
    {
        var events = typeof(DialogEvent).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(DialogEvent)) && !t.IsAbstract).ToList();

        Assert.That(events, Is.Not.Empty);
        Assert.That(events.Except(InboundPipeline.HandledEvents), Is.Empty, "an engine event the host does not carry out would be dropped");
    }

    private HotlineHost Host() => new(new() { ["Routing:OfficerContacts:0"] = DutyOfficer }, engine: engine);

    private static async Task<string> HandOffAsync(HotlineHost host)
    {
        var last = "";
        foreach (var text in new[] { "halo", "1", "??", "08123" }) last = await host.SmsAsync(Citizen, text);
        return last;
    }

    [Test]
    public async Task Handoff_AlertsTheDutyOfficersAndPutsTheCitizenOnTheQueue()
    {
        using var host = Host();
        Assert.That(await HandOffAsync(host), Does.Contain("Petugas kami akan menghubungi nomor ini"));

        await using var db = await host.OpenAsync();
        var item = await db.QuerySingleAsync<(long Id, string Code, string Status)>("SELECT id, code, status FROM cases");
        Assert.That(item.Status, Is.EqualTo("handoff"));
        var alert = await db.QuerySingleAsync<(string Body, string Kind)>(
            "SELECT m.body, m.kind FROM messages m JOIN contacts c ON c.id = m.contact_id WHERE c.address = @A", new { A = "tel:" + DutyOfficer });
        Assert.That(alert.Kind, Is.EqualTo("officer_alert"));
        Assert.That(alert.Body, Does.Contain(item.Code).And.Contains("Nama").And.Contains($"{HotlineHost.PublicBaseUrl}/kasus/{item.Code}"));
        Assert.That(await db.ExecuteScalarAsync<string>("SELECT detail FROM case_events WHERE case_id = @Id AND kind = 'handoff'", new { item.Id }),
            Does.StartWith("patient_name"), "why it was handed off");

        var queue = await host.Services.GetRequiredService<DashboardQueries>().OpenCasesAsync(CancellationToken.None);
        Assert.That(queue.Items[0].Code, Is.EqualTo(item.Code), "a promised call comes first on the queue");
    }

    [Test]
    public async Task Handoff_StuckAgainBeforeAnyoneTookIt_IsOneItemAndOneAlert()
    {
        using var host = Host();
        await HandOffAsync(host);
        await HandOffAsync(host);

        await using var db = await host.OpenAsync();
        Assert.That(await db.ExecuteScalarAsync<long>("SELECT count(*) FROM cases"), Is.EqualTo(1));
        Assert.That(await db.ExecuteScalarAsync<long>("SELECT count(*) FROM messages WHERE kind = 'officer_alert'"), Is.EqualTo(1));
        Assert.That(await db.ExecuteScalarAsync<long>("SELECT count(*) FROM case_events WHERE kind = 'handoff'"), Is.EqualTo(2));
    }

    [Test]
    public async Task Handoff_AnOfficerTakesItCallsAndClosesIt()
    {
        using var host = Host();
        await HandOffAsync(host);
        await using var db = await host.OpenAsync();
        var code = await db.ExecuteScalarAsync<string>("SELECT code FROM cases") ?? "";
        var actions = host.Services.GetRequiredService<CaseActions>();

        Assert.That(await actions.TakeHandoffAsync(code, "piket1", CancellationToken.None), Is.True);
        Assert.That(await actions.TakeHandoffAsync(code, "piket2", CancellationToken.None), Is.False, "taken once");
        Assert.That(await actions.MessageAsync(code, "reporter", "Halo, saya petugas Dinsos. Boleh kami telepon?", "piket1", CancellationToken.None), Is.True);
        Assert.That(await actions.CloseAsync(code, true, "dibantu lewat telepon", "piket1", CancellationToken.None), Is.True);

        Assert.That(await db.ExecuteScalarAsync<string>("SELECT status FROM cases"), Is.EqualTo("resolved"));
        Assert.That(await db.ExecuteScalarAsync<string>("SELECT actor FROM case_events WHERE kind = 'handoff_taken'"), Is.EqualTo("officer:piket1"));
        Assert.That(await db.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM messages m JOIN contacts c ON c.id = m.contact_id WHERE c.address = @A AND m.kind = 'reporter_update'",
            new { A = "tel:" + Citizen }), Is.GreaterThanOrEqualTo(1));
    }

    [Test]
    public async Task Handoff_TheCitizenFinishesAReportAfterAll_ClosesTheWaitingItem()
    {
        using var host = Host();
        await HandOffAsync(host);
        var code = await HotlineBot.Tests.Dashboard.Reported.CaseAsync(host, Citizen);

        await using var db = await host.OpenAsync();
        Assert.That(await db.ExecuteScalarAsync<string>("SELECT status FROM cases WHERE status = 'handoff' OR code <> @Code", new { Code = code }), Is.EqualTo("cancelled"));
        Assert.That(await db.ExecuteScalarAsync<string>("SELECT detail FROM case_events WHERE kind = 'handoff_superseded'"), Is.EqualTo(code));
    }

    [Test]
    public async Task Handoff_AboutOnePatient_StaysWhenTheCitizenReportsAnother()
    {
        using var host = Host();
        // Stuck at the confirmation about Siti: a handoff with her name.
        foreach (var text in new[] { "halo", "Siti Aminah", "tidak tahu", "ds karangrau kec sokaraja", "5", "hmm", "maksudnya", "entah" })
            await host.SmsAsync(Citizen, text);
        foreach (var text in new[] { "halo", "Bambang Wibisono", "tidak tahu", "ds karangrau kec sokaraja", "5", "ya" })
            await host.SmsAsync(Citizen, text);

        await using var db = await host.OpenAsync();
        Assert.That(await db.ExecuteScalarAsync<string>("SELECT status FROM cases WHERE patient_name = 'Siti Aminah'"), Is.EqualTo("handoff"),
            "Siti's promised call still stands");
    }

    [Test]
    public async Task CasePage_PartnerMessages_AreThatCasesOnly()
    {
        using var host = Host();
        var first = await HotlineBot.Tests.Dashboard.Reported.CaseAsync(host, "+6281277770002", "3273056010900009");
        foreach (var text in new[] { "halo", "Bambang Wibisono", "3302014506850003", "ds karangrau rt2/3 kec sokaraja", "1", "tidak", "ya" })
            await host.SmsAsync("+6281277770003", text);
        await host.SmsAsync("+6281100000102", $"TERIMA {first}");

        await using var db = await host.OpenAsync();
        var firstId = await db.ExecuteScalarAsync<long>("SELECT id FROM cases WHERE code = @Code", new { Code = first });
        var messages = await host.Services.GetRequiredService<DashboardQueries>().PartnerMessagesAsync(firstId, CancellationToken.None);

        Assert.That(messages.Select(m => m.Body), Has.Some.Contains("Siti Aminah"));
        Assert.That(messages.Select(m => m.Body), Has.Some.Contains($"TERIMA {first}"), "the partner's own code on this case");
        Assert.That(messages.Select(m => m.Body), Has.None.Contains("Bambang"), "another patient, sent to the same partner");
    }
}
