using System.Net;
using System.Xml.Linq;
using Dapper;
using HotlineBot.Channels.Twilio;
using Microsoft.Data.Sqlite;

namespace HotlineBot.Tests.Cases;

/// <summary>
/// The half of the mission after the report, end to end: signed Twilio webhooks in, Twilio's REST API on loopback out
/// (real HTTP, basic auth), the Banyumas demo partners, and signed status callbacks.
/// </summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed class CaseLifecycleTests(string engine)
{
    private const string Reporter = "+6281299990001";
    private const string Puskesmas = "+6281100000102";       // puskesmas-sokaraja: ambulance in Kec. Sokaraja
    private const string Ambulans = "+6281100000104";        // ambulans-dinsos: ambulance in all Banyumas, on WhatsApp
    private FakeTwilio _twilio = null!;
    private HotlineHost _host = null!;

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

    private Task<string> Sms(string from, string text) => _host.SmsAsync(from, text);

    private async Task<string> WhatsApp(string from, string text)
    {
        using var response = await _host.PostTwilioAsync("/webhooks/twilio/messages", HotlineHost.WhatsAppForm(from, text, _host.NextSid("SM")));
        return string.Join("\n", XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!.Elements("Message").Select(m => m.Value));
    }

    /// <summary>Runs the outbox as Hangfire would and returns what reached Twilio since the last call, as (To, Body).</summary>
    private async Task<List<(string To, string Body)>> Sent()
    {
        var before = _twilio.Requests.Count;
        await _host.RunTimersAsync();
        return _twilio.Requests.Skip(before).Select(r => (r.Form["To"], r.Form["Body"])).ToList();
    }

    private async Task Report()
    {
        foreach (var text in new[] { "halo", "Siti Aminah", "3273056010900009", "ds karangrau rt2/3 kec sokaraja", "1", "tidak", "ya" })
            await Sms(Reporter, text);
    }

    [Test]
    public async Task FullCase_ReporterHearsEveryStepAndPartnersAreToldWhoTookIt()
    {
        await Report();

        var notified = await Sent();
        Assert.That(notified.Select(n => n.To), Is.EquivalentTo(new[] { Puskesmas, Ambulans }),
            "ambulance: kecamatan first, then the regency (the WhatsApp partner never wrote to us: no template set, so SMS)");
        Assert.That(notified[0].Body, Does.StartWith("KASUS 7858: Siti Aminah, NIK 3273********0009,").And.EndWith("Balas TERIMA 7858 atau TOLAK 7858"));
        Assert.That(notified.Select(n => n.Body), Has.None.Contains("3273056010900009"), "never the full NIK");

        Assert.That(await Sms(Puskesmas, "TERIMA 7858"), Does.StartWith("Tercatat: Anda menerima kasus 7858"));
        var afterAccept = await Sent();
        Assert.That(afterAccept, Has.Member((Reporter, "Laporan 7858: Puskesmas Sokaraja sudah menerima dan akan menghubungi/menuju pasien.")));
        Assert.That(afterAccept, Has.Member((Ambulans, "Kasus 7858 sudah diterima mitra lain. Terima kasih, tidak perlu ditindaklanjuti.")));

        Assert.That(await Sms(Puskesmas, "INFO"), Does.StartWith("KASUS 7858: Siti Aminah"), "INFO resends the details");
        await Sms(Puskesmas, "tiba");            // the code may be left out: their only open case
        Assert.That(await Sent(), Is.EqualTo(new[] { (Reporter, "Laporan 7858: petugas/relawan sudah tiba di lokasi pasien.") }));
        await Sms(Puskesmas, "7858 rujuk RSUD Margono");
        Assert.That(await Sent(), Is.EqualTo(new[] { (Reporter, "Laporan 7858: pasien dirujuk ke RSUD Margono.") }));
        await Sms(Puskesmas, "#7858 SELESAI");
        Assert.That(await Sent(), Is.EqualTo(new[] { (Reporter, "Laporan 7858 sudah selesai ditangani. Terima kasih telah melapor.") }));

        Assert.That(await Sms(Reporter, "STATUS 7858"), Is.EqualTo("Laporan 7858: selesai ditangani."));
        Assert.That(await Sms("+6281299990077", "STATUS 7858"), Is.EqualTo("Kode laporan tidak ditemukan. Cek lagi kodenya, contoh: STATUS 4821"),
            "someone else's case is not found: codes cannot be tried to learn about cases");
        Assert.That(await WhatsApp(Reporter, "STATUS 7858"), Is.EqualTo("Laporan 7858: selesai ditangani."), "the reporter on WhatsApp, same number");
        Assert.That(await Sms(Puskesmas, "SELESAI 7858"), Is.EqualTo("Kasus 7858 sudah ditutup; status tidak diubah."));
        await using var connection = await _host.OpenAsync();
        Assert.That(await connection.QueryAsync<string>("SELECT kind FROM case_events ORDER BY id"),
            Is.EqualTo(new[] { "created", "notified", "notified", "accept", "arrive", "refer", "resolve", "refused_resolve" }));
    }

    [Test]
    public async Task Photos_SentDuringTheReport_AreKeptAsReferencesOnTheCase()
    {
        const string photo1 = "https://api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000000/Messages/MM1/Media/ME1";
        const string photo2 = "https://api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000000/Messages/MM2/Media/ME2";
        async Task<string> Photo(string body, string url)
        {
            var form = HotlineHost.SmsForm(Reporter, body, _host.NextSid("MM"));
            form.RemoveAll(f => f.Key == "NumMedia");
            form.AddRange([new("NumMedia", "1"), new("MediaUrl0", url), new("MediaContentType0", "image/jpeg")]);
            using var response = await _host.PostTwilioAsync("/webhooks/twilio/messages", form);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            return await response.Content.ReadAsStringAsync();
        }

        foreach (var text in new[] { "halo", "Siti Aminah", "3273056010900009" }) await Sms(Reporter, text);
        await Photo("", photo1);                                   // a photo alone does not answer the address step
        await Photo("ds karangrau rt2/3 kec sokaraja", photo2);
        foreach (var text in new[] { "1", "tidak", "ya" }) await Sms(Reporter, text);

        await using var connection = await _host.OpenAsync();
        Assert.That(await connection.ExecuteScalarAsync<string>("SELECT media FROM cases"), Is.EqualTo($"[\"{photo1}\",\"{photo2}\"]"));
    }

    [Test]
    public async Task WhatsAppUsername_SamePersonWithoutTheirNumber_KeepsTheirConversationAndCase()
    {
        const string bsuid = "whatsapp:ID.4566546130240823";
        async Task<string> Send(string from, string text)
        {
            var form = HotlineHost.WhatsAppForm(Reporter, text, _host.NextSid("SM"));
            form.Add(new("ExternalUserId", bsuid));
            if (from == bsuid)
            {
                form.RemoveAll(f => f.Key is "From" or "WaId");
                form.Add(new("From", bsuid));
            }
            using var response = await _host.PostTwilioAsync("/webhooks/twilio/messages", form);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            return string.Join("\n", XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!.Elements("Message").Select(m => m.Value));
        }

        await Send(Reporter, "halo");
        await Send(Reporter, "Siti Aminah");
        // The reporter now hides their number behind a username: the same person, mid-report.
        Assert.That(await Send(bsuid, "3273056010900009"), Does.Not.StartWith("Hotline Dinsos"), "not a new conversation");
        foreach (var text in new[] { "ds karangrau rt2/3 kec sokaraja", "1", "tidak", "ya" }) await Send(bsuid, text);
        Assert.That(await Send(bsuid, "STATUS 7858"), Does.StartWith("Laporan 7858:"));

        await using var connection = await _host.OpenAsync();
        Assert.That(await connection.QueryAsync<string>("SELECT address FROM contacts WHERE external_id = @bsuid OR address = @bsuid", new { bsuid }),
            Is.EqualTo(new[] { "whatsapp:" + Reporter }), "one person, one contact");
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM cases"), Is.EqualTo(1));
    }

    [Test]
    public async Task StatusCode_FromSomeoneNotAsked_IsRefusedAndAudited()
    {
        await Report();
        await Sent();

        Assert.That(await Sms("+6281100000105", "TERIMA 7858"), Is.EqualTo("Maaf, kasus 7858 tidak ditugaskan kepada Anda."),
            "BAZNAS is a partner, but not for this case");
        Assert.That(await Sms("+6281288887777", "TERIMA 7858"), Does.StartWith("Hotline Dinsos"), "from a citizen it is just a message");

        await using var connection = await _host.OpenAsync();
        Assert.That(await connection.ExecuteScalarAsync<string>("SELECT actor FROM case_events WHERE kind = 'refused_accept'"), Is.EqualTo("baznas-banyumas"));
        Assert.That(await connection.ExecuteScalarAsync<string>("SELECT status FROM cases"), Is.EqualTo("routed"));
    }

    [Test]
    public async Task Tolak_RoutesTheNeedToTheNextPartner()
    {
        await Report();
        await Sent();

        Assert.That(await WhatsApp(Ambulans, "TOLAK 7858 mobil sedang dipakai"), Does.StartWith("Tercatat: Anda menolak kasus 7858"));
        Assert.That(await Sms(Puskesmas, "TOLAK 7858"), Does.StartWith("Tercatat: Anda menolak kasus 7858"));

        var next = await Sent();
        Assert.That(next, Has.Count.EqualTo(1), "no ambulance partner is left in Banyumas: the duty officer");
        Assert.That(next[0], Is.EqualTo(("+6281100000999", "HOTLINE: kasus 7858 perlu petugas (ditolak mitra): ambulans. Cek https://hotline.example.org/kasus/7858.")));
    }

    [Test]
    public async Task StatusCallbacks_MoveTheMessageForwardOnly()
    {
        await Report();
        await Sent();
        await using var connection = await _host.OpenAsync();
        var (id, sid) = await connection.QueryFirstAsync<(long, string)>("SELECT id, provider_message_id FROM messages WHERE status = 'sent' ORDER BY id");

        async Task Callback(string status, string? error = null)
        {
            var path = $"/webhooks/twilio/status?m={id}";
            List<KeyValuePair<string, string>> form = [new("MessageSid", sid), new("MessageStatus", status), new("AccountSid", HotlineHost.AccountSid)];
            if (error is not null) form.Add(new("ErrorCode", error));
            using var response = await _host.PostTwilioAsync(path, form);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        await Callback("delivered");
        await Callback("sent");                 // late and out of order: ignored
        await Callback("delivered");            // twice: no change
        Assert.That(await connection.ExecuteScalarAsync<string>("SELECT status FROM messages WHERE id = @id", new { id }), Is.EqualTo("delivered"));

        using var forged = await _host.PostTwilioAsync($"/webhooks/twilio/status?m={id}",
            [new("MessageSid", sid), new("MessageStatus", "failed")], signature: "bogus");
        Assert.That(forged.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var callbackUrl = _twilio.Requests.First().Form["StatusCallback"];
        Assert.That(callbackUrl, Does.StartWith(HotlineHost.PublicBaseUrl + "/webhooks/twilio/status?m="));
    }

    [Test]
    public async Task StatusCallback_RecipientSentStop_OptsTheContactOut()
    {
        await Report();
        await Sent();
        await using var connection = await _host.OpenAsync();
        var (id, sid, contact) = await connection.QueryFirstAsync<(long, string, long)>(
            "SELECT id, provider_message_id, contact_id FROM messages WHERE status = 'sent' ORDER BY id");

        using var response = await _host.PostTwilioAsync($"/webhooks/twilio/status?m={id}",
            [new("MessageSid", sid), new("MessageStatus", "undelivered"), new("ErrorCode", "21610"), new("AccountSid", HotlineHost.AccountSid)]);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await connection.ExecuteScalarAsync<bool>("SELECT opted_out FROM contacts WHERE id = @contact", new { contact }), Is.True);
        Assert.That(await connection.ExecuteScalarAsync<string>("SELECT last_error FROM messages WHERE id = @id", new { id }), Is.EqualTo("error 21610"));
    }

    [Test]
    public async Task HostStoppedBeforeDelivering_DeliversAfterRestart()
    {
        var directory = Directory.CreateTempSubdirectory("hotline-restart-").FullName;
        var settings = new Dictionary<string, string?> { ["Twilio:ApiBaseUrl"] = _twilio.BaseUrl };
        using (var before = new HotlineHost(settings, directory: directory))
        {
            foreach (var text in new[] { "halo", "Siti Aminah", "tidak tahu", "ds karangrau kec sokaraja", "1", "tidak", "ya" })
                await before.SmsAsync(Reporter, text);
        }   // committed, never delivered: Hangfire's queue dies with the process
        Assert.That(_twilio.Requests, Is.Empty);

        using var after = new HotlineHost(settings, directory: directory);
        after.CreateClient().Dispose();
        await after.RunTimersAsync();

        Assert.That(_twilio.Requests.Select(r => r.Form["To"]), Is.EquivalentTo(new[] { Puskesmas, Ambulans }));
        Directory.Delete(directory, recursive: true);
    }

    [Test]
    public async Task SameNikAsAnOpenCase_JoinsItWithoutAskingPartnersAgain()
    {
        await Report();
        await Sent();

        var replies = new List<string>();
        foreach (var text in new[] { "halo", "Bu Siti", "3273 0560 1090 0009" })
            replies.Add(await Sms("+6281277776666", text));
        var form = HotlineHost.SmsForm("+6281277776666", "Desa Karangrau kec sokaraja", _host.NextSid("MM"));   // with a photo of the house
        form.RemoveAll(f => f.Key == "NumMedia");
        form.AddRange([new("NumMedia", "1"), new("MediaUrl0", "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM9/Media/ME9")]);
        using (var photo = await _host.PostTwilioAsync("/webhooks/twilio/messages", form)) Assert.That(photo.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        foreach (var text in new[] { "5", "ya" })
            replies.Add(await Sms("+6281277776666", text));

        Assert.That(replies[^1], Is.EqualTo("Terima kasih. Pasien ini sudah dilaporkan dgn kode 7858; laporan Anda kami gabungkan. Petugas akan mengabari."));
        Assert.That(await Sent(), Is.Empty, "partners are not notified twice");
        await using var connection = await _host.OpenAsync();
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM cases"), Is.EqualTo(1));
        Assert.That(await connection.ExecuteScalarAsync<string>("SELECT detail FROM case_events WHERE kind = 'duplicate_report'"),
            Is.EqualTo("Bu Siti; Desa Karangrau kec sokaraja; makanan"));
        Assert.That(await connection.ExecuteScalarAsync<string>("SELECT media FROM cases"),
            Is.EqualTo("""["https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM9/Media/ME9"]"""), "the second reporter's photo joins the case");
        Assert.That(await Sms("+6281277776666", "STATUS 7858"), Does.StartWith("Laporan 7858:"), "the second reporter may follow the case too");
    }
}
