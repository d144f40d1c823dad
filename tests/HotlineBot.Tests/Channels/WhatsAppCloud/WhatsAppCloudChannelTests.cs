using System.Security.Cryptography;
using System.Text;
using HotlineBot.Channels;
using HotlineBot.Channels.WhatsAppCloud;
using Microsoft.Extensions.Options;

namespace HotlineBot.Tests.Channels.WhatsAppCloud;

public sealed class WhatsAppCloudChannelTests
{
    private const string Secret = "my_app_secret";

    private static WhatsAppCloudChannel Channel(string secret = Secret) =>
        new(Options.Create(new WhatsAppCloudOptions { AppSecret = secret, VerifyToken = "rahasia-dinsos", AccessToken = "t", PhoneNumberId = "1234567890" }));

    private static string Sign(byte[] body, string secret = Secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    private static WebhookOutcome Receive(string file, string? signature = null, string secret = Secret)
    {
        var body = File.ReadAllBytes(RepoFiles.TestData("whatsapp-cloud", file));
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (signature != "") headers[WhatsAppCloudChannel.SignatureHeader] = signature ?? Sign(body, secret);
        return Channel(secret).Receive(new WebhookRequest("POST", "https://hotline.example.org/webhooks/whatsapp", headers, body, "application/json"));
    }

    // Not official vectors: computed with Python hmac, Node crypto and C#, which agree. hello.json is
    // nyaruka/courier's handlers/meta/testdata/wac/hello.json, byte for byte.
    [TestCase("hello.json", "fb_app_secret", "sha256=700efab27306b2b1518621a77de8c4cb9b1ac6f421c234a8518cdc915bde1cfe")]
    [TestCase("text_indonesia.json", "my_app_secret", "sha256=806f692e48ab65d10b1dda57d6e47c3f168c914fd929f20c1ee4cd61dcb43e88")]
    public void SignatureIsValid_MetaVectors(string file, string secret, string header) =>
        Assert.That(Channel(secret).SignatureIsValid(File.ReadAllBytes(RepoFiles.TestData("whatsapp-cloud", file)), header), Is.True);

    public sealed record IncomingCase(string Label, string File, string? Text = null, string? Address = null, string? Id = null,
        int? Status = null, string? Signature = null, double? Latitude = null, string? Delivery = null, int? ErrorCode = null, string? Media = null, bool Ignored = false)
    {
        public override string ToString() => Label;
    }

    private static readonly IncomingCase[] Cases =
    [
        new("Receive a text from Indonesia", "text_indonesia.json", "Halo", "whatsapp:+6281234567890", "wamid.TEST1"),
        new("Receive a location for the address step", "location.json", "", "whatsapp:+6281234567890", "wamid.LOC1", Latitude: -7.4535),
        new("Receive a photo as its caption and a media reference", "image.json", "ini rumahnya", "whatsapp:+6281234567890", "wamid.IMG1",
            Media: "meta-media:1166374567891234"),
        new("Receive a reply button tap as its title", "button_reply.json", "Ya, benar", "whatsapp:+6281234567890", "wamid.BTN1"),
        new("Receive a list row as its title", "list_reply.json", "Ambulans", "whatsapp:+6281234567890", "wamid.LST1"),
        new("Receive a list row whose title we cut to 24 as its menu number", "list_reply_cut_title.json", "3", "whatsapp:+6281234567890", "wamid.LST2"),
        new("Receive a username-only sender by business-scoped id", "username_only.json", "halo", "whatsapp:ID.4566546130240823", "wamid.USR1"),
        new("Acknowledge a reaction without answering it (no greeting for a thumbs-up)", "reaction.json", Ignored: true),
        new("Receive a delivery status", "status_delivered.json", Delivery: "delivered"),
        new("Receive a failed status with Meta's code", "status_failed.json", Delivery: "failed", ErrorCode: 131047),
        new("Acknowledge and skip a message without id (its neighbours in a batch go on)", "missing_id.json", Ignored: true),
        new("Reject bad signature", "text_indonesia.json", Status: 403, Signature: "sha256=" + new string('0', 64)),
        new("Reject missing signature", "text_indonesia.json", Status: 403, Signature: ""),
        new("Reject a signature that is not hex", "text_indonesia.json", Status: 403, Signature: "sha256=" + new string('z', 64)),
    ];

    [TestCaseSource(nameof(Cases))]
    public void Receive(IncomingCase c)
    {
        var outcome = Receive(c.File, c.Signature);

        if (c.Status is { } status)
        {
            Assert.That(outcome, Is.TypeOf<WebhookRejected>().With.Property(nameof(WebhookRejected.StatusCode)).EqualTo(status));
            return;
        }
        var item = ((WebhookBatch)outcome).Items.Single();
        if (c.Ignored)
        {
            Assert.That(item, Is.TypeOf<WebhookIgnored>());
            return;
        }
        if (c.Delivery is not null)
        {
            var report = (StatusReceived)item;
            Assert.That(report.Status, Is.EqualTo(c.Delivery));
            Assert.That(report.ProviderMessageId, Is.EqualTo("wamid.OUT1"));
            Assert.That(report.ErrorCode, Is.EqualTo(c.ErrorCode));
            Assert.That(report.Meaning, Is.EqualTo(c.ErrorCode == 131047 ? SendResult.WindowClosed : null), "read with Meta's error table");
            return;
        }
        var message = ((MessageReceived)item).Message;
        Assert.That(message.Text, Is.EqualTo(c.Text));
        Assert.That(message.ContactAddress, Is.EqualTo(c.Address));
        Assert.That(message.ProviderMessageId, Is.EqualTo(c.Id));
        Assert.That(message.Provider, Is.EqualTo("whatsapp-cloud"));
        Assert.That(message.Location?.Latitude, Is.EqualTo(c.Latitude));
        Assert.That(message.ExternalUserId, Is.EqualTo(c.File == "username_only.json" ? "whatsapp:ID.4566546130240823" : null));
        Assert.That(message.Media, Is.EqualTo(c.Media is null ? Array.Empty<string>() : new[] { c.Media }));
    }

    [Test]
    public void Receive_CourierHelloFixture_IsParsedUnderItsOwnSecret()
    {
        var message = ((MessageReceived)((WebhookBatch)Receive("hello.json", secret: "fb_app_secret")).Items.Single()).Message;

        Assert.That(message.Text, Is.EqualTo("Hello World"));
        Assert.That(message.ContactAddress, Is.EqualTo("whatsapp:+5678").Or.EqualTo("whatsapp:5678"));
    }

    [TestCase("subscribe", "rahasia-dinsos", "1158201444", 200, "1158201444")]
    [TestCase("subscribe", "salah", "1158201444", 403, "verification failed")]
    [TestCase("unsubscribe", "rahasia-dinsos", "1158201444", 403, "verification failed")]
    [TestCase("subscribe", "rahasia-dinsos", null, 403, "verification failed")]
    public void Verify(string mode, string token, string? challenge, int status, string body) =>
        Assert.That(Channel().Verify(mode, token, challenge), Is.EqualTo((status, body)));

    [TestCase(429, 130429, SendResult.Throttled)]
    [TestCase(400, 131056, SendResult.Throttled)]
    [TestCase(400, 131047, SendResult.WindowClosed)]
    [TestCase(500, 131053, SendResult.Transient)]
    [TestCase(503, null, SendResult.Transient)]
    [TestCase(400, 100, SendResult.Permanent)]
    public void Classify(int http, int? code, SendResult expected) => Assert.That(WhatsAppCloudErrors.Classify(http, code), Is.EqualTo(expected));
}
