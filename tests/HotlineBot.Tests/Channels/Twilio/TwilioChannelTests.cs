using System.Text;
using HotlineBot.Channels;
using HotlineBot.Channels.Twilio;
using Microsoft.Extensions.Options;

namespace HotlineBot.Tests.Channels.Twilio;

public sealed class TwilioChannelTests
{
    private const string Token = "6789";
    private const string Url = "https://hotline.example.org/webhooks/twilio/messages";
    private const string Form = "application/x-www-form-urlencoded";

    /// <summary>A raw request from a payload file; signed correctly unless <see cref="Signature"/> says otherwise.</summary>
    public sealed record IncomingCase(string Label, string Payload, int? ExpectedStatus = null, string? ExpectedText = null,
        string? ExpectedAddress = null, string? ExpectedChannel = null, string? Signature = null, string ContentType = Form,
        string? AccountSid = null)
    {
        public override string ToString() => Label;
    }

    private static readonly IncomingCase[] Cases =
    [
        new("Receive valid SMS (courier fixture)", "sms_courier.txt", ExpectedText: "Msg", ExpectedAddress: "tel:+14133881111", ExpectedChannel: "sms"),
        new("Receive WhatsApp from Indonesia, with button fields", "whatsapp_indonesia.txt", ExpectedText: "Konfirmasi",
            ExpectedAddress: "whatsapp:+6285176810035", ExpectedChannel: "whatsapp", AccountSid: "ACefb707f7c4ce4d15bc4261fd1d5ed615"),
        new("Receive from a Messaging Service", "sms_messaging_service.txt", ExpectedText: "halo tolong",
            ExpectedAddress: "tel:+6281234567890", ExpectedChannel: "sms", AccountSid: "ACefb707f7c4ce4d15bc4261fd1d5ed615"),
        new("Receive a WhatsApp location (empty body)", "whatsapp_location.txt", ExpectedText: "",
            ExpectedAddress: "whatsapp:+15555550101", ExpectedChannel: "whatsapp"),
        new("Reject bad signature", "sms_courier.txt", ExpectedStatus: 403, Signature: "bogus"),
        new("Reject a signature made with another token", "sms_courier.txt", ExpectedStatus: 403, Signature: "tAm7dFM4YFa+xXQAsG3bGnfBp2A="),
        new("Reject missing signature", "sms_courier.txt", ExpectedStatus: 403, Signature: ""),
        new("Reject missing MessageSid", "sms_missing_messagesid.txt", ExpectedStatus: 400),
        new("Reject another account's message", "sms_other_account.txt", ExpectedStatus: 403, AccountSid: "ACefb707f7c4ce4d15bc4261fd1d5ed615"),
        new("Reject JSON content", "sms_courier.txt", ExpectedStatus: 415, ContentType: "application/json"),
    ];

    [TestCaseSource(nameof(Cases))]
    public void Receive(IncomingCase c)
    {
        var channel = new TwilioChannel(Options.Create(new TwilioOptions { AuthToken = Token, AccountSid = c.AccountSid }));
        var body = File.ReadAllBytes(RepoFiles.TestData("twilio", c.Payload));
        var signature = c.Signature ?? TwilioSignature.Compute(Token, Url, TwilioChannel.ParseForm(body)!);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (signature.Length > 0) headers[TwilioChannel.SignatureHeader] = signature;

        var outcome = channel.Receive(new WebhookRequest("POST", Url, headers, body, c.ContentType));

        if (c.ExpectedStatus is { } status)
        {
            Assert.That(outcome, Is.TypeOf<WebhookRejected>().With.Property(nameof(WebhookRejected.StatusCode)).EqualTo(status));
            return;
        }
        var message = ((MessageReceived)outcome).Message;
        Assert.That(message.Text, Is.EqualTo(c.ExpectedText));
        Assert.That(message.ContactAddress, Is.EqualTo(c.ExpectedAddress));
        Assert.That(message.Channel, Is.EqualTo(c.ExpectedChannel));
        Assert.That(message.Provider, Is.EqualTo("twilio"));
    }

    [Test]
    public void Receive_Photos_CarryTheirTwilioMediaUrlsInOrder()
    {
        var channel = new TwilioChannel(Options.Create(new TwilioOptions { AuthToken = Token }));
        var body = File.ReadAllBytes(RepoFiles.TestData("twilio", "mms_photo.txt"));
        var headers = new Dictionary<string, string> { [TwilioChannel.SignatureHeader] = TwilioSignature.Compute(Token, Url, TwilioChannel.ParseForm(body)!) };

        var message = ((MessageReceived)channel.Receive(new WebhookRequest("POST", Url, headers, body, Form))).Message;

        Assert.That(message.Text, Is.EqualTo("ini rumahnya"));
        Assert.That(message.Media, Is.EqualTo(new[]
        {
            "https://api.twilio.com/2010-04-01/Accounts/ACefb707f7c4ce4d15bc4261fd1d5ed615/Messages/MM0123456789abcdef0123456789abcdef/Media/ME0001",
            "https://api.twilio.com/2010-04-01/Accounts/ACefb707f7c4ce4d15bc4261fd1d5ed615/Messages/MM0123456789abcdef0123456789abcdef/Media/ME0002",
        }));
    }

    // Status callbacks (https://www.twilio.com/docs/messaging/guides/track-outbound-message-status), signed likewise.
    [TestCase("MessageSid=SM1&MessageStatus=delivered&AccountSid=AC1", "delivered", null, TestName = "ReceiveStatus_Delivered")]
    [TestCase("MessageSid=SM1&MessageStatus=undelivered&ErrorCode=30003&AccountSid=AC1", "undelivered", 30003, TestName = "ReceiveStatus_UndeliveredWithErrorCode")]
    [TestCase("MessageSid=SM1&MessageStatus=failed&ErrorCode=63016&AccountSid=AC1", "failed", 63016, TestName = "ReceiveStatus_WhatsAppWindowClosed")]
    public void ReceiveStatus(string body, string status, int? error)
    {
        var channel = new TwilioChannel(Options.Create(new TwilioOptions { AuthToken = Token }));
        var bytes = Encoding.UTF8.GetBytes(body);
        const string url = "https://hotline.example.org/webhooks/twilio/status?m=42";
        var headers = new Dictionary<string, string> { [TwilioChannel.SignatureHeader] = TwilioSignature.Compute(Token, url, TwilioChannel.ParseForm(bytes)!) };

        var report = (StatusReceived)channel.ReceiveStatus(new WebhookRequest("POST", url, headers, bytes, Form));

        Assert.That(report.ProviderMessageId, Is.EqualTo("SM1"));
        Assert.That(report.Status, Is.EqualTo(status));
        Assert.That(report.ErrorCode, Is.EqualTo(error));
        Assert.That(report.OurMessageId, Is.EqualTo(42), "our id rides the callback URL");
        Assert.That(report.Meaning, Is.EqualTo(error == 63016 ? SendResult.WindowClosed : null), "read with Twilio's error table");
    }

    [TestCase("MessageSid=SM1&AccountSid=AC1", 400, TestName = "ReceiveStatus_MissingStatus_Is400")]
    [TestCase("MessageSid=SM1&MessageStatus=sent", 403, TestName = "ReceiveStatus_Unsigned_Is403")]
    public void ReceiveStatus_Refused(string body, int expected)
    {
        var channel = new TwilioChannel(Options.Create(new TwilioOptions { AuthToken = Token }));
        var bytes = Encoding.UTF8.GetBytes(body);
        var headers = new Dictionary<string, string>();
        if (expected != 403) headers[TwilioChannel.SignatureHeader] = TwilioSignature.Compute(Token, Url, TwilioChannel.ParseForm(bytes)!);

        Assert.That(channel.ReceiveStatus(new WebhookRequest("POST", Url, headers, bytes, Form)),
            Is.TypeOf<WebhookRejected>().With.Property(nameof(WebhookRejected.StatusCode)).EqualTo(expected));
    }

    [Test]
    public void Receive_NoAuthTokenConfigured_RefusesEverything()
    {
        var channel = new TwilioChannel(Options.Create(new TwilioOptions()));
        var body = File.ReadAllBytes(RepoFiles.TestData("twilio", "sms_courier.txt"));
        var headers = new Dictionary<string, string> { [TwilioChannel.SignatureHeader] = TwilioSignature.Compute("", Url, TwilioChannel.ParseForm(body)!) };

        Assert.That(channel.Receive(new WebhookRequest("POST", Url, headers, body, Form)),
            Is.TypeOf<WebhookRejected>().With.Property(nameof(WebhookRejected.StatusCode)).EqualTo(403));
    }

    [Test]
    public void ParseForm_KeepsEmptyValuesInOrder()
    {
        var form = TwilioChannel.ParseForm("A=1&ToCity=&B=x+y%26z"u8)!;

        Assert.That(form, Is.EqualTo(new KeyValuePair<string, string>[] { new("A", "1"), new("ToCity", ""), new("B", "x y&z") }));
    }

    [Test]
    public void ParseForm_InvalidUtf8_IsMalformed() => Assert.That(TwilioChannel.ParseForm(new byte[] { 0x41, 0x3D, 0xC3, 0x28 }), Is.Null);

    [Test]
    public void Reply_Nothing_IsAnEmptyResponse()
    {
        var reply = new TwilioChannel(Options.Create(new TwilioOptions())).Reply([]);

        Assert.That(reply.Body, Is.EqualTo("""<?xml version="1.0" encoding="UTF-8"?><Response/>"""));
        Assert.That(reply.ContentType, Does.StartWith("text/xml"));
    }

    [Test]
    public void Reply_Text_IsEscapedTwiml()
    {
        var reply = new TwilioChannel(Options.Create(new TwilioOptions())).Reply(["Halo, pesanan Anda diterima & <ok>", "dua\nbaris"]);

        Assert.That(reply.Body, Is.EqualTo("""<?xml version="1.0" encoding="UTF-8"?><Response><Message>Halo, pesanan Anda diterima &amp; &lt;ok&gt;</Message><Message>dua""" + "\nbaris</Message></Response>"));
    }

    [Test]
    public void Reply_ControlCharacters_AreDroppedSoTheXmlStaysValid()
    {
        var reply = new TwilioChannel(Options.Create(new TwilioOptions())).Reply(["a\u0001b"]);

        Assert.That(() => System.Xml.Linq.XDocument.Parse(reply.Body), Throws.Nothing);
        Assert.That(reply.Body, Does.Contain("<Message>ab</Message>"));
    }
}
