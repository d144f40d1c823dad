using HotlineBot.Dashboard;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests.Dashboard;

/// <summary>The reports' figures from cases worked through the real pipeline on a fake clock.</summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed class ReportsTests(string engine)
{
    private const string Puskesmas = "+6281100000102";
    private HotlineHost _host = null!;

    [SetUp]
    public void SetUp() => _host = new HotlineHost(engine: engine);

    [TearDown]
    public void TearDown() => _host.Dispose();

    private Task<ReportData> BuildAsync() =>
        _host.Services.GetRequiredService<Reports>().BuildAsync(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30), includeSimulated: false, CancellationToken.None);

    [Test]
    public async Task Figures_MediansSlaPartnersAndBeneficiaries()
    {
        var first = await Reported.CaseAsync(_host, "+6281299990001", nik: "3302010101900003");
        var second = await Reported.CaseAsync(_host, "+6281299990002", nik: "3302010101900011");
        _host.Clock.Advance(TimeSpan.FromMinutes(10));
        await Reported.SmsAsync(_host, Puskesmas, $"TERIMA {first}");
        _host.Clock.Advance(TimeSpan.FromMinutes(30));
        await Reported.SmsAsync(_host, Puskesmas, $"TIBA {first}");
        _host.Clock.Advance(TimeSpan.FromMinutes(5));
        await Reported.SmsAsync(_host, Puskesmas, $"TERIMA {second}");       // 45 min: past the 30-minute accept SLA
        _host.Clock.Advance(TimeSpan.FromMinutes(115));
        await Reported.SmsAsync(_host, Puskesmas, $"SELESAI {first}");       // 160 min after the report

        var report = await BuildAsync();

        Assert.That(report.Cases.Select(c => c.Code), Is.EquivalentTo(new[] { first, second }));
        Assert.That(report.MedianMinutesToAccept, Is.EqualTo(27.5), "median of 10 and 45");
        Assert.That(report.MedianMinutesToArrive, Is.EqualTo(40));
        Assert.That(report.MedianMinutesToResolve, Is.EqualTo(160));
        Assert.That(report.Sla.Single(s => s.Deadline == "accept"), Is.EqualTo(new SlaCompliance("accept", 2, 1)));
        Assert.That(report.Sla.Single(s => s.Deadline == "arrive"), Is.EqualTo(new SlaCompliance("arrive", 1, 1)));
        Assert.That(report.PerMonth, Is.EqualTo(new[] { ("2026-11", 2) }));
        Assert.That(report.ByNeed, Is.EqualTo(new[] { ("ambulance", 2) }));
        Assert.That(report.ByDistrict, Is.EqualTo(new[] { ("Sokaraja", 2) }));
        Assert.That(report.Years, Is.EqualTo(new[] { new YearFigures(2026, 2, 1, 1) }));

        var puskesmas = report.Partners.Single(p => p.PartnerId == "puskesmas-sokaraja");
        Assert.That((puskesmas.Asked, puskesmas.Accepted, puskesmas.Declined), Is.EqualTo((2L, 2L, 0L)));
        Assert.That(puskesmas.MedianMinutesToAnswer, Is.EqualTo(27.5));
        var ambulans = report.Partners.Single(p => p.PartnerId == "ambulans-dinsos");
        Assert.That(ambulans.Unanswered, Is.EqualTo(2), "released when Puskesmas took the cases: never answered");
    }

    [Test]
    public async Task Csv_OneRowPerCase_WithoutNamesOrNik()
    {
        var code = await Reported.CaseAsync(_host, "+6281299990001", nik: "3302010101900003");
        _host.Clock.Advance(TimeSpan.FromMinutes(12));
        await Reported.SmsAsync(_host, Puskesmas, $"TERIMA {code}");

        var writer = new StringWriter();
        await _host.Services.GetRequiredService<Reports>().WriteCsvAsync(writer, await BuildAsync());

        var lines = writer.ToString().TrimEnd().Split("\r\n");
        Assert.That(lines[0], Is.EqualTo("code,reported_at,status,needs,district_code,district,minutes_to_accept,minutes_to_arrive,minutes_to_resolve"));
        Assert.That(lines[1], Is.EqualTo($"{code},2026-11-23 09:00,accepted,ambulance,33.02.19,Sokaraja,12,,"));
        Assert.That(writer.ToString(), Does.Not.Contain("Siti").And.Not.Contain("3302010101900003"));
    }

    [Test]
    public async Task EveryMonthOfTheRange_IsAChartBar_TheEmptyOnesToo()
    {
        await Reported.CaseAsync(_host, "+6281299990001", nik: "3302010101900003");
        var report = await _host.Services.GetRequiredService<Reports>().BuildAsync(new DateOnly(2026, 9, 15), new DateOnly(2026, 12, 2), includeSimulated: false, CancellationToken.None);
        Assert.That(report.PerMonth, Is.EqualTo(new[] { ("2026-09", 0), ("2026-10", 0), ("2026-11", 1), ("2026-12", 0) }));
    }

    [Test]
    public async Task TheOfficesTimeZone_CountsTheDays()
    {
        // 23 Nov 09:00 WIB is 11:00 WIT: an office in Jayapura reads and counts its cases in its own time.
        _host.Dispose();
        _host = new HotlineHost(new() { ["Hotline:TimeZone"] = "Asia/Jayapura" }, engine: engine);
        await Reported.CaseAsync(_host, "+6281299990001", nik: "3302010101900003");
        var writer = new StringWriter();
        var reports = _host.Services.GetRequiredService<Reports>();
        await reports.WriteCsvAsync(writer, await BuildAsync());
        Assert.That(writer.ToString(), Does.Contain(",2026-11-23 11:00,"));
        Assert.That(_host.Services.GetRequiredService<OfficeTime>().Format(_host.Clock.GetUtcNow().ToUnixTimeMilliseconds(), "id"), Is.EqualTo("23 Nov 11:00 WIT"));
    }

    [Test]
    public async Task SimulatedCases_AreLeftOutUnlessAsked()
    {
        var gate = _host.Services.GetRequiredService<SimulatorGate>();
        foreach (var text in new[] { "halo", "Siti Aminah", "tidak tahu", "ds karangrau rt2/3 kec sokaraja", "1", "tidak", "ya" })
            await gate.SendAsync("+6281200000001", text, CancellationToken.None);

        Assert.That((await BuildAsync()).Cases, Is.Empty);
        var withDemo = await _host.Services.GetRequiredService<Reports>().BuildAsync(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30), includeSimulated: true, CancellationToken.None);
        Assert.That(withDemo.Cases, Has.Count.EqualTo(1));
    }

    [TestCase(new double[] { }, null)]
    [TestCase(new double[] { 5 }, 5.0)]
    [TestCase(new double[] { 9, 1, 5 }, 5.0)]
    [TestCase(new double[] { 1, 2, 3, 10 }, 2.5)]
    public void Median_OddEvenAndEmpty(double[] values, double? expected) =>
        Assert.That(Reports.Median(values.Select(v => (double?)v)), Is.EqualTo(expected));
}
