using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;

namespace HotlineBot.Tests.Channels.AndroidSmsGateway;

/// <summary>Reports by SMS through an office phone: signed webhooks in, the gateway's REST API on loopback out.</summary>
public sealed class AndroidSmsWebhookTests
{
    private const string Key = "k3Y_x9Qa";
    private const string Reporter = "+6281277770002";
    private FakeSmsGateway _gateway = null!;
    private HotlineHost _host = null!;
    private int _id;

    [SetUp]
    public async Task SetUp()
    {
        _gateway = await FakeSmsGateway.StartAsync();
        _host = new HotlineHost(new()
        {
            ["AndroidSms:BaseUrl"] = _gateway.BaseUrl, ["AndroidSms:Username"] = "sms", ["AndroidSms:Password"] = "rahasia", ["AndroidSms:SigningKey"] = Key,
        });
    }

    [TearDown]
    public async Task TearDown()
    {
        _host.Dispose();
        await _gateway.DisposeAsync();
    }

    private async Task<HttpResponseMessage> Post(string json)
    {
        using var client = _host.CreateClient();
        var bytes = Encoding.UTF8.GetBytes(json);
        var timestamp = _host.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/android-sms") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-Timestamp", timestamp);
        request.Headers.Add("X-Signature", Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Key), (byte[])[.. bytes, .. Encoding.ASCII.GetBytes(timestamp)])));
        return await client.SendAsync(request);
    }

    private static string Received(string envelopeId, string from, string text) => JsonSerializer.Serialize(new
    {
        deviceId = "ffffffffceb0b1db0000018e937c815b", @event = "sms:received", id = envelopeId, webhookId = "w1",
        payload = new { messageId = "c0ffee", message = text, sender = from, simNumber = 1, receivedAt = "2026-11-23T09:00:00.000+07:00" },
    });

    private async Task<List<string>> Say(string text, string from = Reporter)
    {
        var before = _gateway.Requests.Count;
        using (var response = await Post(Received($"env{++_id}", from, text))) Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await _host.RunTimersAsync();
        return _gateway.Requests.Skip(before).Where(r => r.To == from).Select(r => r.Text).ToList();
    }

    [Test]
    public async Task Report_BySms_RepliesThroughTheOfficePhoneAndPartnersByTheirChannel()
    {
        foreach (var text in new[] { "halo", "Siti Aminah", "tidak tahu", "ds karangrau kec sokaraja", "1", "tidak" }) await Say(text);
        var confirmation = await Say("ya");

        Assert.That(confirmation.Single(), Does.StartWith("Terima kasih. Laporan tercatat dgn kode 7858"));
        var sent = _gateway.Requests.ToList();
        Assert.That(sent.Select(r => r.Authorization).Distinct(), Is.EqualTo(new[] { "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("sms:rahasia")) }));
        Assert.That(sent.Select(r => r.To), Has.All.StartsWith("+62"), "always E.164: the gateway would read 08… with region RU");
        Assert.That(sent.Single(r => r.To == "+6281100000102").Text, Does.StartWith("KASUS 7858"), "the SMS partner through the office phone");

        // The puskesmas answers by SMS through the same phone, and the reporter hears it.
        Assert.That(await Say("TERIMA 7858", "+6281100000102"), Is.EqualTo(new[] { "Tercatat: Anda menerima kasus 7858. Balas TIBA 7858 saat sampai, SELESAI 7858 bila tuntas." }));
        Assert.That(_gateway.Requests.Last(r => r.To == Reporter).Text, Is.EqualTo("Laporan 7858: Puskesmas Sokaraja sudah menerima dan akan menghubungi/menuju pasien."));
    }

    [Test]
    public async Task OfficePhoneDown_RepliesGoThroughTheConfiguredFallback()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        _host.Dispose();
        _host = new HotlineHost(new()
        {
            ["AndroidSms:BaseUrl"] = _gateway.BaseUrl, ["AndroidSms:Username"] = "sms", ["AndroidSms:Password"] = "rahasia", ["AndroidSms:SigningKey"] = Key,
            ["Twilio:ApiBaseUrl"] = twilio.BaseUrl, ["Channels:Fallback:android-sms"] = "twilio",
        });
        Assert.That(await Say("halo"), Has.Count.EqualTo(1), "the phone is up: the greeting goes through it");

        _gateway.Then(500);                       // the phone's server fails: the first attempt is retried later
        _gateway.Then(500);                       // and again: the phone is down, Twilio takes the message
        await Say("Siti Aminah");
        Assert.That(twilio.Requests, Is.Empty, "one failure is not an outage");
        _host.Clock.Advance(TimeSpan.FromMinutes(1));
        await _host.RunTimersAsync();

        var sent = twilio.Requests.Single();
        Assert.That(sent.Form["To"], Is.EqualTo(Reporter));
        Assert.That(sent.Form["Body"], Does.Contain("NIK"));
        await using var connection = new SqliteConnection($"Data Source={_host.DatabasePath}");
        Assert.That(await connection.QueryAsync<string>("SELECT status FROM messages WHERE direction = 'out'"), Has.All.EqualTo("sent"));
    }

    [Test]
    public async Task SmsFromTheOperatorsShortCode_IsAcknowledgedLoggedAndNotAnswered()
    {
        using (var response = await Post(Received("env-op", "3636", "Paket internet Anda habis")))
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "acknowledged: the phone must not retry it forever");
        await _host.RunTimersAsync();

        Assert.That(_gateway.Requests, Is.Empty, "nobody to answer");
        Assert.That(_host.Logs.GetSnapshot().Select(l => l.Message), Has.Some.Contains("not a phone number"));
        await using var connection = new SqliteConnection($"Data Source={_host.DatabasePath}");
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM contacts"), Is.Zero);
    }

    [Test]
    public async Task RetriedWebhook_SameEnvelopeId_IsAnsweredOnce()
    {
        var json = Received("same-envelope", Reporter, "halo");

        (await Post(json)).Dispose();
        (await Post(json)).Dispose();
        await _host.RunTimersAsync();

        Assert.That(_gateway.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task DeliveryReports_ForOurMessage_MoveItForwardAndToleratePerPartRepeats()
    {
        await Say("halo");
        var id = long.Parse(_gateway.Requests.Single().Id[2..], CultureInfo.InvariantCulture);
        string Report(string kind) => JsonSerializer.Serialize(new { @event = kind, id = $"ev-{kind}-{++_id}", payload = new { messageId = $"hb{id}", recipient = Reporter } });

        foreach (var kind in new[] { "sms:sent", "sms:delivered", "sms:delivered", "sms:sent" })
            (await Post(Report(kind))).Dispose();

        await using var connection = new SqliteConnection($"Data Source={_host.DatabasePath}");
        Assert.That(await connection.ExecuteScalarAsync<string>("SELECT status FROM messages WHERE id = @id", new { id }), Is.EqualTo("delivered"));
    }

    [Test]
    public async Task Gateway409_MeansItAlreadyHasTheMessage()
    {
        _gateway.Then(409);

        await Say("halo");

        await using var connection = new SqliteConnection($"Data Source={_host.DatabasePath}");
        Assert.That(await connection.ExecuteScalarAsync<string>("SELECT status FROM messages WHERE direction = 'out'"), Is.EqualTo("sent"));
    }
}
