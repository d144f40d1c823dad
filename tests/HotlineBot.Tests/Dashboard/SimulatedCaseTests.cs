using Dapper;
using HotlineBot.Dashboard;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests.Dashboard;

/// <summary>The dashboard's simulator runs the real pipeline with Twilio configured, and never reaches a real phone.</summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed class SimulatedCaseTests(string engine)
{
    private FakeTwilio _twilio = null!;
    private HotlineHost _host = null!;
    private SimulatorGate Gate => _host.Services.GetRequiredService<SimulatorGate>();

    [SetUp]
    public async Task SetUp()
    {
        (_twilio, _host) = await HotlineHost.WithFakeTwilioAsync(new() { ["Routing:OfficerContacts:0"] = "+6281100000999" }, engine);
    }

    [TearDown]
    public async Task TearDown()
    {
        _host.Dispose();
        await _twilio.DisposeAsync();
    }

    private async Task<string> SimulatedReportAsync(string number = "+6281200000001")
    {
        IReadOnlyList<string> last = [];
        foreach (var text in new[] { "halo", "Siti Aminah", "3273056010900009", "ds karangrau rt2/3 kec sokaraja", "1", "tidak", "ya" })
            last = await Gate.SendAsync(number, text, CancellationToken.None);
        return System.Text.RegularExpressions.Regex.Match(last[^1], @"\b\d{4}\b").Value;
    }

    [Test]
    public async Task SimulatedReport_PartnersAreToldOnSimulatedPhonesOnly()
    {
        var code = await SimulatedReportAsync();
        Assert.That(code, Is.Not.Empty);

        await _host.RunTimersAsync();

        Assert.That(_twilio.Requests, Is.Empty, "nothing went to Twilio");
        await using var db = await _host.OpenAsync();
        Assert.That(await db.QueryAsync<(string, string)>("""
            SELECT k.address, m.status FROM messages m JOIN contacts k ON k.id = m.contact_id WHERE m.kind = 'partner_notification' ORDER BY k.address
            """), Is.EqualTo(new[] { ("sim:+6281100000102", "sent"), ("sim:+6281100000104", "sent") }));
        Assert.That(await db.QuerySingleAsync<string>("SELECT flags FROM cases WHERE code = @Code", new { Code = code }), Does.Contain("simulated"));
        Assert.That(await Gate.SentToAsync("+6281100000102", 0, CancellationToken.None), Has.Exactly(1).Matches<global::HotlineBot.Channels.Simulator.SimulatorSent>(s => s.Body.StartsWith($"KASUS {code}", StringComparison.Ordinal)));
    }

    [Test]
    public async Task SimulatedPartner_CanActOnASimulatedCase_AndTheReporterUpdateStaysSimulated()
    {
        var code = await SimulatedReportAsync();
        var answer = await Gate.SendAsync("+6281100000102", $"TERIMA {code}", CancellationToken.None);
        Assert.That(answer.Single(), Does.StartWith($"Tercatat: Anda menerima kasus {code}"));
        await _host.RunTimersAsync();
        Assert.That(_twilio.Requests, Is.Empty);
        Assert.That((await Gate.SentToAsync("+6281200000001", 0, CancellationToken.None)).Select(s => s.Body),
            Has.Some.StartsWith($"Laporan {code}: Puskesmas Sokaraja sudah menerima"));
    }

    [Test]
    public async Task SimulatedPartner_CannotTouchARealCase_NorARealPartnerASimulatedOne()
    {
        var real = await Reported.CaseAsync(_host, "+6281299990001", nik: "3302010101900003");
        var simulated = await SimulatedReportAsync();

        Assert.That((await Gate.SendAsync("+6281100000102", $"TERIMA {real}", CancellationToken.None)).Single(), Is.EqualTo($"Kode kasus {real} tidak ditemukan. Cek lagi kodenya."));
        Assert.That(await Reported.SmsAsync(_host, "+6281100000102", $"TERIMA {simulated}"), Does.Contain($"Kode kasus {simulated} tidak ditemukan"));

        await using var db = await _host.OpenAsync();
        Assert.That(await db.QueryAsync<string>("SELECT status FROM cases ORDER BY id"), Is.EqualTo(new[] { "routed", "routed" }));
    }

    [Test]
    public async Task SimulatedReport_OfARealPatient_DoesNotJoinTheRealCase()
    {
        var real = await Reported.CaseAsync(_host, "+6281299990001");
        var simulated = await SimulatedReportAsync();
        Assert.That(simulated, Is.Not.EqualTo(real), "a case of its own, not the real one's code");
        await using var db = await _host.OpenAsync();
        Assert.That(await db.ExecuteScalarAsync<long>("SELECT count(*) FROM case_events WHERE kind = 'duplicate_report'"), Is.Zero);
    }
}
