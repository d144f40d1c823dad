using Dapper;
using HotlineBot.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests.Storage;

/// <summary>
/// The same service on SQLite and on PostgreSQL: migrations, then a case's whole life through the real HTTP pipeline —
/// a report, partner notifications through the outbox, TERIMA/TIBA/RUJUK/SELESAI, STATUS, a handoff, an SLA
/// escalation, a parked message, the officers' pages and the retention purge — so every store's SQL runs on both
/// engines. The PostgreSQL half needs the server <c>./test.sh</c> starts.
/// </summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed class BothEnginesTests(string engine)
{
    private const string Reporter = "+6281299990001";
    private const string Puskesmas = "+6281100000102";
    private TestPostgres? _postgres;
    private FakeTwilio _twilio = null!;
    private HotlineHost _host = null!;

    [SetUp]
    public async Task SetUp()
    {
        if (engine == "postgres") _postgres = await TestPostgres.CreateAsync();
        var settings = _postgres?.Settings ?? [];
        settings["Routing:OfficerContacts:0"] = "+6281100000999";
        (_twilio, _host) = await HotlineHost.WithFakeTwilioAsync(settings);
        _host.CreateClient().Dispose();
        Assert.That(_host.Services.GetRequiredService<HotlineBot.Storage.Database>().Dialect, Is.EqualTo(engine));
    }

    [TearDown]
    public async Task TearDown()
    {
        _host.Dispose();
        await _twilio.DisposeAsync();
        if (_postgres is not null) await _postgres.DisposeAsync();
    }

    private async Task<List<(string To, string Body)>> Sent()
    {
        var before = _twilio.Requests.Count;
        await _host.RunTimersAsync();
        return _twilio.Requests.Skip(before).Select(r => (r.Form["To"], r.Form["Body"])).ToList();
    }

    [Test]
    public async Task ACaseWholeLife_RunsTheSameOnThisEngine()
    {
        foreach (var text in new[] { "halo", "Siti Aminah", "3273056010900009", "ds karangrau rt2/3 kec sokaraja", "1", "tidak", "ya" })
            await _host.SmsAsync(Reporter, text);
        var notified = await Sent();
        Assert.That(notified.Select(n => n.To), Does.Contain(Puskesmas));
        var code = notified.First(n => n.To == Puskesmas).Body[6..10];

        // Twilio's delivery report for that notification, by its sid and our id (the query picks the row by sid first).
        var sid = _twilio.Requests.First(r => r.Form["To"] == Puskesmas);
        var ourId = sid.Form["StatusCallback"].Split("m=")[1];
        var report = new List<KeyValuePair<string, string>>
        {
            new("MessageSid", "SM00000000000000000000000000000001"), new("MessageStatus", "delivered"), new("AccountSid", HotlineHost.AccountSid),
        };
        using (var delivered = await _host.PostTwilioAsync($"/webhooks/twilio/status?m={ourId}", report))
            Assert.That(delivered.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK));
        await using (var db = await _host.OpenAsync())
            Assert.That(await db.ExecuteScalarAsync<string>("SELECT status FROM messages WHERE id = @Id", new { Id = long.Parse(ourId, System.Globalization.CultureInfo.InvariantCulture) }),
                Is.EqualTo("delivered"));

        Assert.That(await _host.SmsAsync(Puskesmas, $"TERIMA {code}"), Does.StartWith($"Tercatat: Anda menerima kasus {code}"));
        Assert.That(await Sent(), Has.Some.Matches<(string To, string Body)>(s => s.To == Reporter && s.Body.Contains("sudah menerima", StringComparison.Ordinal)));
        await _host.SmsAsync(Puskesmas, "tiba");
        await _host.SmsAsync(Puskesmas, $"{code} rujuk RSUD Margono");
        await _host.SmsAsync(Puskesmas, $"SELESAI {code}");
        Assert.That(await _host.SmsAsync(Reporter, $"STATUS {code}"), Is.EqualTo($"Laporan {code}: selesai ditangani."));

        // A second citizen the bot cannot understand: a handoff, and the officers are told.
        foreach (var text in new[] { "halo", "1", "??", "08123" }) await _host.SmsAsync("+6281299990002", text);
        Assert.That(await Sent(), Has.Some.Matches<(string To, string Body)>(s => s.To == "+6281100000999"));

        // A third report nobody accepts: the SLA escalation after 30 minutes.
        foreach (var text in new[] { "halo", "Budi Santoso", "tidak tahu", "ds karangrau kec sokaraja", "1", "tidak", "ya" })
            await _host.SmsAsync("+6281299990003", text);
        await Sent();
        _host.Clock.Advance(TimeSpan.FromMinutes(31));
        await Sent();

        await using (var db = await _host.OpenAsync())
        {
            Assert.That(await db.QueryAsync<string>("SELECT kind FROM case_events WHERE case_id = (SELECT id FROM cases WHERE code = @Code) ORDER BY id", new { Code = code }),
                Is.EqualTo(new[] { "created", "notified", "notified", "accept", "arrive", "refer", "resolve" }));
            Assert.That(await db.ExecuteScalarAsync<long>("SELECT count(*) FROM case_events WHERE kind = 'sla_accept_breached'"), Is.EqualTo(1));
            Assert.That(await db.ExecuteScalarAsync<long>("SELECT count(*) FROM cases WHERE status = 'handoff'"), Is.EqualTo(1));
            Assert.That(await db.ExecuteScalarAsync<long>("SELECT count(*) FROM messages WHERE direction = 'out' AND status IN ('queued', 'sending')"), Is.Zero);
        }

        // The officers' pages read every table.
        foreach (var page in new[] { "/", $"/kasus/{code}", "/pesan", "/laporan", "/mitra" })
            Assert.That(await Dashboard.HttpSignIn.GetAsOfficerAsync(_host, page), Does.Contain("HotlineBot"), page);

        // The retention purge, a year on.
        _host.Clock.Advance(TimeSpan.FromDays(400));
        using var scope = _host.Services.CreateScope();
        var purged = await scope.ServiceProvider.GetRequiredService<PurgePersonalDataJob>().RunAsync(CancellationToken.None);
        Assert.That(purged.Cases, Is.GreaterThanOrEqualTo(1));
        await using var after = await _host.OpenAsync();
        Assert.That(await after.ExecuteScalarAsync<string>("SELECT patient_name FROM cases WHERE code = @Code", new { Code = code }), Is.Not.EqualTo("Siti Aminah"));
    }
}
