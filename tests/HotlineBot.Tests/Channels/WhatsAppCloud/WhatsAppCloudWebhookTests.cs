using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace HotlineBot.Tests.Channels.WhatsAppCloud;

/// <summary>Reports over Meta's WhatsApp Cloud API: signed JSON in, replies out through the outbox to the Graph API on loopback.</summary>
public sealed class WhatsAppCloudWebhookTests
{
    private const string Secret = "meta-app-secret";
    private const string Reporter = "6281277770001";
    private FakeGraph _graph = null!;
    private FakeTwilio _twilio = null!;
    private HotlineHost _host = null!;
    private int _id;

    [SetUp]
    public async Task SetUp()
    {
        _graph = await FakeGraph.StartAsync();
        _twilio = await FakeTwilio.StartAsync();
        _host = new HotlineHost(new()
        {
            ["WhatsAppCloud:AppSecret"] = Secret, ["WhatsAppCloud:VerifyToken"] = "rahasia", ["WhatsAppCloud:AccessToken"] = "graph-token",
            ["WhatsAppCloud:PhoneNumberId"] = "1234567890", ["WhatsAppCloud:ApiBaseUrl"] = _graph.BaseUrl, ["Twilio:ApiBaseUrl"] = _twilio.BaseUrl,
            ["WhatsApp:Templates:partner_notification"] = "kasus_baru",
        });
    }

    [TearDown]
    public async Task TearDown()
    {
        _host.Dispose();
        await _graph.DisposeAsync();
        await _twilio.DisposeAsync();
    }

    private static string TextPayload(string from, string id, string body) => JsonSerializer.Serialize(new
    {
        @object = "whatsapp_business_account",
        entry = new[] { new { id = "1", changes = new[] { new { field = "messages", value = new
        {
            messaging_product = "whatsapp",
            metadata = new { display_phone_number = "6281100000000", phone_number_id = "1234567890" },
            messages = new[] { new { from, id, timestamp = "1700000000", type = "text", text = new { body } } },
        } } } } },
    });

    private async Task<HttpResponseMessage> Post(string json, string? signature = null)
    {
        using var client = _host.CreateClient();
        var bytes = Encoding.UTF8.GetBytes(json);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/whatsapp") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-Hub-Signature-256", signature ?? "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), bytes)));
        return await client.SendAsync(request);
    }

    private async Task<List<string>> Say(string text, string? from = null)
    {
        var before = _graph.Requests.Count;
        using var response = await Post(TextPayload(from ?? Reporter, $"wamid.IN{++_id}", text));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await _host.RunTimersAsync();
        return _graph.Requests.Skip(before).Where(r => r.To == (from ?? Reporter)).Select(r => r.Text).ToList();
    }

    [Test]
    public async Task Handshake_WithOurToken_EchoesTheChallenge()
    {
        using var client = _host.CreateClient();

        Assert.That(await client.GetStringAsync(new Uri("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=rahasia&hub.challenge=8421", UriKind.Relative)), Is.EqualTo("8421"));
        using var wrong = await client.GetAsync(new Uri("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=x&hub.challenge=8421", UriKind.Relative));
        Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Report_OverWhatsAppCloud_RepliesThroughTheGraphApiAndPartnersOnTheirChannels()
    {
        Assert.That(await Say("halo"), Has.Count.EqualTo(1).And.Some.EndsWith("Siapa nama pasien/warga yang sakit?"));
        await Say("Siti Aminah");
        await Say("tidak tahu");
        await Say("ds karangrau kec sokaraja");
        await Say("1");
        await Say("tidak");
        var confirmation = await Say("ya");

        Assert.That(confirmation.Single(), Does.StartWith("Terima kasih. Laporan tercatat dgn kode 7858"));
        var graph = _graph.Requests.ToList();
        Assert.That(graph.Where(r => r.To == Reporter).ToList(), Has.Count.EqualTo(7), "each reply went to the reporter through the Graph API");
        Assert.That(graph.Select(r => r.Authorization).Distinct(), Is.EqualTo(new[] { "Bearer graph-token" }));
        Assert.That(graph.Single(r => r.To == "6281100000104").Text, Does.StartWith("template kasus_baru: KASUS 7858"),
            "the WhatsApp partner, who never wrote to us, via the Cloud API as the approved template");
        Assert.That(_twilio.Requests.Single().Form["To"], Is.EqualTo("+6281100000102"), "the SMS partner via Twilio");

        // The puskesmas takes it by SMS; the reporter hears it on WhatsApp, through the Graph API (inside the window).
        using (var accept = await _host.PostTwilioAsync("/webhooks/twilio/messages", HotlineHost.SmsForm("+6281100000102", "TERIMA 7858", "SMaccept0000000000000000000000000")))
            Assert.That(accept.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await _host.RunTimersAsync();
        Assert.That(_graph.Requests.Last(r => r.To == Reporter).Text,
            Is.EqualTo("Laporan 7858: Puskesmas Sokaraja sudah menerima dan akan menghubungi/menuju pasien."));
    }

    private static string TapPayload(string from, string id, string kind, string replyId, string title) => JsonSerializer.Serialize(new
    {
        @object = "whatsapp_business_account",
        entry = new[] { new { id = "1", changes = new[] { new { field = "messages", value = new
        {
            messaging_product = "whatsapp",
            messages = new[] { new { from, id, timestamp = "1700000000", type = "interactive",
                interactive = new Dictionary<string, object> { ["type"] = kind, [kind] = new { id = replyId, title } } } },
        } } } } },
    });

    [Test]
    public async Task ChoiceQuestions_GoOutAsButtons_AndATapAnswersThem()
    {
        foreach (var text in new[] { "halo", "Siti Aminah", "tidak tahu", "ds karangrau kec sokaraja", "1" }) await Say(text);

        var emergency = _graph.Requests.Last(r => r.To == Reporter);
        Assert.That(emergency.Options, Is.EqualTo(new[] { "Ya", "Tidak" }), "yes/no as two reply buttons");

        using (var tap = await Post(TapPayload(Reporter, "wamid.TAP1", "button_reply", "2", "Tidak"))) Assert.That(tap.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await _host.RunTimersAsync();
        var confirm = _graph.Requests.Last(r => r.To == Reporter);
        Assert.That(confirm.Text, Does.StartWith("Cek laporan:"));
        Assert.That(confirm.Options, Is.EqualTo(new[] { "Ya, benar", "Ubah" }));

        using (var tap = await Post(TapPayload(Reporter, "wamid.TAP2", "button_reply", "1", "Ya, benar"))) Assert.That(tap.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await _host.RunTimersAsync();
        Assert.That(_graph.Requests.Last(r => r.To == Reporter).Text, Does.StartWith("Terima kasih. Laporan tercatat"));
    }

    [Test]
    public async Task ManyChoices_GoOutAsAList_WithTitlesCutToFit()
    {
        foreach (var text in new[] { "PANTAU", "Mbah Karsih" }) await Say(text);

        var group = _graph.Requests.Last(r => r.To == Reporter);
        Assert.That(group.Options, Has.Count.EqualTo(5), "five situations: a list, not buttons");
        Assert.That(group.Options, Has.All.Length.LessThanOrEqualTo(24));
        Assert.That(group.Options[0], Is.EqualTo("Lansia sebatang kara"));
    }

    [Test]
    public async Task DuplicateDelivery_IsAnsweredOnce()
    {
        var payload = TextPayload(Reporter, "wamid.SAME", "halo");

        using (var first = await Post(payload)) Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using (var again = await Post(payload)) Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await _host.RunTimersAsync();

        Assert.That(_graph.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task GraphApiDown_RepliesGoThroughTheFallbacksInOrder()
    {
        _host.Dispose();
        _host = new HotlineHost(new()
        {
            ["WhatsAppCloud:AppSecret"] = Secret, ["WhatsAppCloud:VerifyToken"] = "rahasia", ["WhatsAppCloud:AccessToken"] = "graph-token",
            ["WhatsAppCloud:PhoneNumberId"] = "1234567890", ["WhatsAppCloud:ApiBaseUrl"] = _graph.BaseUrl, ["Twilio:ApiBaseUrl"] = _twilio.BaseUrl,
            // The office phone is first, but not set up here: Twilio's WhatsApp sender takes the message.
            ["Channels:Fallback:whatsapp-cloud"] = "android-sms, twilio", ["Channels:FallbackAfterAttempts"] = "1",
        });
        _graph.Then(503, """{"error":{"message":"Service unavailable","code":131016}}""");

        Assert.That(await Say("halo"), Has.Count.EqualTo(1), "tried at Meta first, which refused it");

        var sent = _twilio.Requests.Single();
        Assert.That(sent.Form["To"], Is.EqualTo("whatsapp:+" + Reporter));
        Assert.That(sent.Form["Body"], Does.StartWith("Hotline Dinsos"));
    }

    [Test]
    public async Task GraphApiDown_ATemplateNeverChangesProvider_TheTextGoesBySms()
    {
        _host.Dispose();
        _host = new HotlineHost(new()
        {
            ["WhatsAppCloud:AppSecret"] = Secret, ["WhatsAppCloud:VerifyToken"] = "rahasia", ["WhatsAppCloud:AccessToken"] = "graph-token",
            ["WhatsAppCloud:PhoneNumberId"] = "1234567890", ["WhatsAppCloud:ApiBaseUrl"] = _graph.BaseUrl, ["Twilio:ApiBaseUrl"] = _twilio.BaseUrl,
            ["WhatsApp:Templates:partner_notification"] = "kasus_baru",
            ["Channels:Fallback:whatsapp-cloud"] = "twilio, sms", ["Channels:FallbackAfterAttempts"] = "1",
        });
        foreach (var text in new[] { "halo", "Siti Aminah", "tidak tahu", "ds karangrau kec sokaraja", "1", "tidak" }) await Say(text);
        _graph.Then(503, """{"error":{"message":"Service unavailable","code":131016}}""");   // the WhatsApp partner's template

        await Say("ya");

        Assert.That(_graph.Requests.Single(r => r.To == "6281100000104").Text, Does.StartWith("template kasus_baru:"), "tried at Meta");
        var toPartner = _twilio.Requests.Where(r => r.Form["To"].EndsWith("6281100000104", StringComparison.Ordinal)).ToList();
        Assert.That(toPartner.Select(r => r.Form["To"]), Is.EqualTo(new[] { "+6281100000104" }),
            "not Twilio WhatsApp (the template is Meta's name), but SMS to the same number");
        Assert.That(toPartner[0].Form["Body"], Does.StartWith("KASUS 7858"));
        Assert.That(toPartner[0].Form.ContainsKey("ContentSid"), Is.False);
    }

    [Test]
    public async Task Forged_Is403AndNothingIsStored()
    {
        using var response = await Post(TextPayload(Reporter, "wamid.X", "halo"), signature: "sha256=" + new string('a', 64));
        await _host.RunTimersAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(_graph.Requests, Is.Empty);
    }
}
