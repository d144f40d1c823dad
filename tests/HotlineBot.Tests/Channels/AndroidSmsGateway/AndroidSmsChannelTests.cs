using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using HotlineBot.Channels;
using HotlineBot.Channels.AndroidSmsGateway;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HotlineBot.Tests.Channels.AndroidSmsGateway;

public sealed class AndroidSmsChannelTests
{
    private const string Key = "k3Y_x9Qa";
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 2, 0, 0, TimeSpan.Zero);

    private static AndroidSmsChannel Channel(DateTimeOffset? now = null) =>
        new(Options.Create(new AndroidSmsOptions { SigningKey = Key, BaseUrl = "http://127.0.0.1:9", Username = "u", Password = "p" }),
            new FakeTimeProvider(now ?? Now));

    private static string Sign(byte[] body, string timestamp) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Key), (byte[])[.. body, .. Encoding.ASCII.GetBytes(timestamp)]));

    private static WebhookOutcome Receive(string file, string? signature = null, DateTimeOffset? signedAt = null)
    {
        var body = File.ReadAllBytes(RepoFiles.TestData("android-sms", file));
        var timestamp = (signedAt ?? Now).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [AndroidSmsChannel.TimestampHeader] = timestamp, [AndroidSmsChannel.SignatureHeader] = signature ?? Sign(body, timestamp),
        };
        return Channel().Receive(new WebhookRequest("POST", "https://hotline.example.org/webhooks/android-sms", headers, body, "application/json"));
    }

    // No upstream vector exists: computed with Python hmac, OpenSSL, a port of the app's Java signer and .NET, which
    // agree.
    [Test]
    public void SignatureIsValid_ComputedVector() =>
        Assert.That(Channel().SignatureIsValid(File.ReadAllBytes(RepoFiles.TestData("android-sms", "received_vector.json")), "1719043571",
            "934689f752b20241375aa893ae73ba06e39923078d693978d76f845b646e69ff"), Is.True);

    public sealed record IncomingCase(string Label, string File, int? Status = null, string? Text = null, string? Address = null,
        string? Delivery = null, string? Signature = null, int SkewMinutes = 0, bool Empty = false, bool Ignored = false)
    {
        public override string ToString() => Label;
    }

    private static readonly IncomingCase[] Cases =
    [
        new("Receive an SMS from Indonesia", "received_indonesia.json", Text: "halo, tetangga saya sakit", Address: "tel:+6281234567890"),
        new("Receive from an older app with a local number in phoneNumber", "received_local_number.json", Text: "Siti Aminah", Address: "tel:+6281234567890"),
        new("Receive sms:sent", "sent.json", Delivery: "sent"),
        new("Receive sms:delivered (one per part)", "delivered.json", Delivery: "delivered"),
        new("Receive sms:failed", "failed.json", Delivery: "failed"),
        new("Acknowledge system:ping with nothing to do", "ping.json", Empty: true),
        new("Acknowledge, and do not answer, an SMS from the operator's sender name", "received_operator.json", Ignored: true),
        new("Reject an SMS without sender", "received_no_sender.json", Status: 400),
        new("Reject bad signature", "received_indonesia.json", Status: 403, Signature: new string('0', 64)),
        new("Accept a timestamp four minutes old (within five)", "received_indonesia.json", Text: "halo, tetangga saya sakit", Address: "tel:+6281234567890", SkewMinutes: -4),
        new("Reject a timestamp six minutes old (replay)", "received_indonesia.json", Status: 403, SkewMinutes: -6),
    ];

    [TestCaseSource(nameof(Cases))]
    public void Receive(IncomingCase c)
    {
        var outcome = Receive(c.File, c.Signature, Now.AddMinutes(c.SkewMinutes));

        if (c.Status is { } status)
        {
            Assert.That(outcome, Is.TypeOf<WebhookRejected>().With.Property(nameof(WebhookRejected.StatusCode)).EqualTo(status));
            return;
        }
        var items = ((WebhookBatch)outcome).Items;
        if (c.Ignored)
        {
            Assert.That(items.Single(), Is.TypeOf<WebhookIgnored>().With.Property(nameof(WebhookIgnored.Reason)).Contains("TELKOMSEL"));
            return;
        }
        if (c.Empty)
        {
            Assert.That(items, Is.Empty);
            return;
        }
        if (c.Delivery is not null)
        {
            var report = (StatusReceived)items.Single();
            Assert.That(report.Status, Is.EqualTo(c.Delivery));
            Assert.That(report.OurMessageId, Is.EqualTo(42));
            return;
        }
        var message = ((MessageReceived)items.Single()).Message;
        Assert.That(message.Text, Is.EqualTo(c.Text));
        Assert.That(message.ContactAddress, Is.EqualTo(c.Address));
        Assert.That(message.Provider, Is.EqualTo("android-sms"));
    }
}
