using System.Xml.Linq;
using Dapper;
using Microsoft.Data.Sqlite;

namespace HotlineBot.Tests.Cases;

/// <summary>
/// A report needing an ambulance and food goes to a Puskesmas (ambulance) and to BAZNAS and a village volunteer
/// (food). Each need has its own lifecycle: the Puskesmas' SELESAI does not close what the others still owe, and the
/// reporter hears what was done for which need.
/// </summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed class MultiNeedCaseTests(string engine)
{
    private const string Reporter = "+6281299991001";
    private const string Puskesmas = "+6281100000102";        // ambulance
    private const string Baznas = "+6281100000105";           // food, on WhatsApp
    private const string Relawan = "+6281100000107";          // food, on WhatsApp
    private HotlineHost _host = null!;
    private string _code = "";

    [SetUp]
    public async Task SetUp()
    {
        _host = new HotlineHost(new() { ["Routing:OfficerContacts:0"] = "+6281100000999" }, engine: engine);
        foreach (var text in new[] { "halo", "Siti Aminah", "3273056010900009", "ds karangrau rt2/3 kec sokaraja", "1,5", "tidak", "ya" })
            _code = System.Text.RegularExpressions.Regex.Match(await _host.SmsAsync(Reporter, text), @"\b\d{4}\b").Value;
        Assert.That(_code, Is.Not.Empty);
    }

    [TearDown]
    public void TearDown() => _host.Dispose();

    private async Task<string> WhatsApp(string from, string text)
    {
        using var response = await _host.PostTwilioAsync("/webhooks/twilio/messages", HotlineHost.WhatsAppForm(from, text, _host.NextSid()));
        return string.Join("\n", XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!.Elements("Message").Select(m => m.Value));
    }

    private async Task<string> CaseStatus()
    {
        await using var db = await _host.OpenAsync();
        return await db.ExecuteScalarAsync<string>("SELECT status FROM cases") ?? "";
    }

    /// <summary>The needs as the case page shows them to officers.</summary>
    private async Task<string> OfficersSeeAsync()
    {
        var queries = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<HotlineBot.Dashboard.DashboardQueries>(_host.Services);
        var view = await queries.CaseAsync(_code, CancellationToken.None);
        var states = HotlineBot.Dashboard.DashboardQueries.NeedStates(view!.Needs, await queries.AssignmentsAsync(view.Id, CancellationToken.None));
        return string.Join(' ', states.Select(s => $"{s.Key}={s.Value}"));
    }

    private async Task<List<string>> ToReporter()
    {
        await using var db = await _host.OpenAsync();
        return (await db.QueryAsync<string>(
            "SELECT m.body FROM messages m JOIN contacts c ON c.id = m.contact_id WHERE c.address = @A AND m.kind = 'reporter_update' ORDER BY m.id",
            new { A = "tel:" + Reporter })).ToList();
    }

    [Test]
    public async Task AmbulanceHandled_FoodStillOwed_TheCaseStaysOpenAndTheReporterHearsWhich()
    {
        await _host.SmsAsync(Puskesmas, $"TERIMA {_code}");
        await _host.SmsAsync(Puskesmas, $"SELESAI {_code}");

        Assert.That(await CaseStatus(), Is.EqualTo("accepted"));
        Assert.That(await ToReporter(), Is.EqualTo(new[]
        {
            $"Laporan {_code}: Puskesmas Sokaraja sudah menerima (ambulans) dan akan menghubungi/menuju pasien. Masih dicarikan mitra: makanan.",
            $"Laporan {_code}: ambulans sudah ditangani Puskesmas Sokaraja. Masih diproses: makanan.",
        }));
        Assert.That(await _host.SmsAsync(Puskesmas, $"SELESAI {_code}"), Does.Contain("sudah tercatat"));
        Assert.That(await OfficersSeeAsync(), Is.EqualTo("ambulance=Done food=Asked"), "the case page shows the food still open");

        await WhatsApp(Baznas, $"TERIMA {_code}");
        Assert.That(await CaseStatus(), Is.EqualTo("accepted"));
        await WhatsApp(Baznas, $"SELESAI {_code}");

        Assert.That(await CaseStatus(), Is.EqualTo("resolved"));
        Assert.That((await ToReporter())[^1], Is.EqualTo($"Laporan {_code}: makanan sudah ditangani BAZNAS Kabupaten Banyumas. Laporan selesai, terima kasih telah melapor."));
    }

    [Test]
    public async Task FoodDeclinedByEveryone_AfterTheAmbulanceWasHandled_ClosesWithTheTruth()
    {
        await _host.SmsAsync(Puskesmas, $"TERIMA {_code}");
        await _host.SmsAsync(Puskesmas, $"SELESAI {_code}");
        await WhatsApp(Baznas, $"TOLAK {_code} dana habis");
        Assert.That(await CaseStatus(), Is.EqualTo("accepted"), "the volunteer is still asked about the food");
        await WhatsApp(Relawan, $"TOLAK {_code}");

        Assert.That(await CaseStatus(), Is.EqualTo("resolved"));
        Assert.That((await ToReporter())[^1], Is.EqualTo($"Laporan {_code} ditutup: ambulans sudah ditangani. Belum ada mitra untuk: makanan."));
        await using var db = await _host.OpenAsync();
        Assert.That(await db.ExecuteScalarAsync<long>("SELECT count(*) FROM messages WHERE kind = 'officer_alert'"), Is.GreaterThanOrEqualTo(1),
            "the duty officers heard that nobody could bring food");
    }

    [Test]
    public async Task TwoPartnersTwoNeeds_OnlyTheSecondSelesaiResolves()
    {
        await WhatsApp(Relawan, $"TERIMA {_code}");
        await _host.SmsAsync(Puskesmas, $"TERIMA {_code}");
        await WhatsApp(Relawan, $"SELESAI {_code}");
        Assert.That(await CaseStatus(), Is.EqualTo("accepted"));
        await _host.SmsAsync(Puskesmas, $"SELESAI {_code}");

        Assert.That(await CaseStatus(), Is.EqualTo("resolved"));
    }
}
