using System.Xml.Linq;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests.Jobs;

/// <summary>SLA escalation with a fake clock, Twilio's REST API on loopback, and the Banyumas demo partners.</summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed class EscalateOverdueCasesJobTests(string engine)
{
    private const string Reporter = "+6281299990002";
    private FakeTwilio _twilio = null!;
    private HotlineHost _host = null!;

    [SetUp]
    public async Task SetUp()
    {
        (_twilio, _host) = await HotlineHost.WithFakeTwilioAsync(new() { ["Routing:FanOut"] = "1", ["Routing:OfficerContacts:0"] = "+6281100000999" }, engine);
    }

    [TearDown]
    public async Task TearDown()
    {
        _host.Dispose();
        await _twilio.DisposeAsync();
    }

    private Task<string> Sms(string from, string text) => _host.SmsAsync(from, text);

    private async Task<List<string>> SentTo()
    {
        var before = _twilio.Requests.Count;
        await _host.RunTimersAsync();
        return _twilio.Requests.Skip(before).Select(r => r.Form["To"]).ToList();
    }

    private async Task<List<string>> Events()
    {
        await using var connection = await _host.OpenAsync();
        return (await connection.QueryAsync<string>("SELECT kind FROM case_events ORDER BY id")).ToList();
    }

    private async Task ReportAmbulance()
    {
        foreach (var text in new[] { "halo", "Siti Aminah", "tidak tahu", "ds karangrau kec sokaraja", "1", "tidak", "ya" })
            await Sms(Reporter, text);
        Assert.That(await SentTo(), Is.EqualTo(new[] { "+6281100000102" }), "fan-out 1: the kecamatan's puskesmas first");
    }

    /// <summary>A flood: many reports in the same second set their accept deadlines in the same second. One escalation
    /// run is scheduled for them all (a job per deadline cost more than the report's own writes), and that run escalates
    /// every one of them, not just its first batch.</summary>
    [Test]
    public async Task AFloodOfReports_OneRunScheduledForTheirSecond_AndItEscalatesEveryCase()
    {
        var hangfire = _host.Services.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi();
        var scheduledBefore = hangfire.ScheduledCount();
        const int Reports = 230;
        await Task.WhenAll(Enumerable.Range(0, Reports).Select(async n =>
        {
            foreach (var text in new[] { "halo", "Siti Aminah", "tidak tahu", "ds karangrau kec sokaraja", "1", "tidak", "ya" })
                await Sms($"+62812777{n:D5}", text);
        }));
        await using (var connection = await _host.OpenAsync())
            Assert.That(await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM cases WHERE accept_due_at IS NOT NULL"), Is.EqualTo(Reports));

        Assert.That(hangfire.ScheduledCount() - scheduledBefore, Is.EqualTo(1), "one run for the second all the deadlines fall in");

        _host.Clock.Advance(TimeSpan.FromMinutes(31));
        using var scope = _host.Services.CreateScope();
        var escalated = await scope.ServiceProvider.GetRequiredService<HotlineBot.Jobs.EscalateOverdueCasesJob>().RunAsync(CancellationToken.None);

        Assert.That(escalated, Is.EqualTo(Reports), "one run takes every overdue case, batch after batch");
    }

    [Test]
    public async Task NoTerima_BeforeTheDeadline_NothingHappens()
    {
        await ReportAmbulance();

        _host.Clock.Advance(TimeSpan.FromMinutes(29));

        Assert.That(await SentTo(), Is.Empty);
    }

    [Test]
    public async Task NoTerima_WithinAcceptWithin_NextPartnerAndOfficerAreToldOnce()
    {
        await ReportAmbulance();

        _host.Clock.Advance(TimeSpan.FromMinutes(30));
        var escalated = await SentTo();
        _host.Clock.Advance(TimeSpan.FromMinutes(30));
        var again = await SentTo();

        Assert.That(escalated, Is.EquivalentTo(new[] { "+6281100000104", "+6281100000999" }),
            "the next ambulance partner (on WhatsApp but outside the window, so by SMS), and the duty officer");
        Assert.That(again, Is.Empty, "once only");
        Assert.That(await Events(), Has.Exactly(1).EqualTo("sla_accept_breached"));
    }

    [Test]
    public async Task Terima_InTime_NoEscalation()
    {
        await ReportAmbulance();
        _host.Clock.Advance(TimeSpan.FromMinutes(20));
        await Sms("+6281100000102", "TERIMA");
        await SentTo();

        _host.Clock.Advance(TimeSpan.FromMinutes(20));

        Assert.That(await SentTo(), Is.Empty);
        Assert.That(await Events(), Has.None.EqualTo("sla_accept_breached"));
    }

    [Test]
    public async Task Accepted_ButNotArrivedWithinArriveWithin_TheOfficerIsTold()
    {
        await ReportAmbulance();
        await Sms("+6281100000102", "TERIMA");
        await SentTo();

        _host.Clock.Advance(TimeSpan.FromHours(2));

        Assert.That(await SentTo(), Is.EqualTo(new[] { "+6281100000999" }));
        Assert.That(await Events(), Has.Exactly(1).EqualTo("sla_arrive_breached"));
        var officer = _twilio.Requests.Last().Form["Body"];
        Assert.That(officer, Is.EqualTo("HOTLINE: kasus 7858 perlu petugas (mitra belum tiba): ambulans. Cek https://hotline.example.org/kasus/7858."));
    }
}
