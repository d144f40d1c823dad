using HotlineBot.Channels;
using HotlineBot.Channels.Twilio;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests.Channels.Twilio;

/// <summary>Sending through Twilio's Messages API on loopback (real HTTP, basic auth), one case per answer Twilio gives
/// (CreateMessage in Twilio's OpenAPI spec, twilio/twilio-oai): what we post, and what the outbox makes of the
/// answer.</summary>
public sealed class TwilioSendTests
{
    public sealed record SendCase(string Label, string To, int Status, string Body, SendResult Expected, string? Template = null,
        string? RetryAfter = null, string? ExpectedFrom = null)
    {
        public override string ToString() => Label;
    }

    private const string Accepted = """{"sid":"SM0123456789abcdef0123456789abcdef","status":"queued"}""";

    private static readonly SendCase[] Cases =
    [
        new("SMS accepted", "tel:+6281234567890", 201, Accepted, SendResult.Sent, ExpectedFrom: "+6281100000000"),
        new("WhatsApp accepted, from the WhatsApp sender", "whatsapp:+6281234567890", 201, Accepted, SendResult.Sent, ExpectedFrom: "whatsapp:+14155238886"),
        new("WhatsApp template: ContentSid and variables, no Body", "whatsapp:+6281234567890", 201, Accepted, SendResult.Sent, Template: "HX0123456789abcdef0123456789abcdef"),
        new("Invalid number is permanent", "tel:+6281234567890", 400, """{"code":21211,"message":"Invalid 'To' Phone Number"}""", SendResult.Permanent),
        new("STOP from the recipient opts them out", "tel:+6281234567890", 400, """{"code":21610,"message":"Attempt to send to unsubscribed recipient"}""", SendResult.OptedOut),
        new("WhatsApp window closed (63016)", "whatsapp:+6281234567890", 400, """{"code":63016,"message":"outside the allowed window"}""", SendResult.WindowClosed),
        new("Too many requests, with Retry-After", "tel:+6281234567890", 429, """{"code":20429,"message":"Too Many Requests"}""", SendResult.Throttled, RetryAfter: "7"),
        new("WhatsApp sender rate limit (63018)", "whatsapp:+6281234567890", 400, """{"code":63018,"message":"Rate limit exceeded"}""", SendResult.Throttled),
        new("Server error is transient", "tel:+6281234567890", 500, """{"message":"Internal Server Error"}""", SendResult.Transient),
    ];

    [TestCaseSource(nameof(Cases))]
    public async Task Send(SendCase c)
    {
        await using var twilio = await FakeTwilio.StartAsync();
        using var host = new HotlineHost(new() { ["Twilio:ApiBaseUrl"] = twilio.BaseUrl });
        twilio.Then(c.Status, c.Body, c.RetryAfter);
        var channel = host.Services.GetRequiredService<TwilioChannel>();

        var outcome = await channel.SendAsync(new OutboundMessage(42, c.To, "Laporan 7858: sudah diterima.", c.Template), CancellationToken.None);

        Assert.That(outcome.Result, Is.EqualTo(c.Expected), outcome.Error);
        var request = twilio.Requests.Single();
        Assert.That(request.Path, Is.EqualTo($"/2010-04-01/Accounts/{HotlineHost.AccountSid}/Messages.json"));
        Assert.That(request.Authorization, Is.EqualTo("Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{HotlineHost.AccountSid}:{HotlineHost.AuthToken}"))));
        Assert.That(request.Form["To"], Is.EqualTo(c.To.StartsWith("tel:", StringComparison.Ordinal) ? c.To[4..] : c.To));
        Assert.That(request.Form["StatusCallback"], Is.EqualTo($"{HotlineHost.PublicBaseUrl}/webhooks/twilio/status?m=42"));
        if (c.ExpectedFrom is not null) Assert.That(request.Form["From"], Is.EqualTo(c.ExpectedFrom));
        if (c.Template is not null)
        {
            Assert.That(request.Form["ContentSid"], Is.EqualTo(c.Template));
            Assert.That(request.Form["ContentVariables"], Is.EqualTo("""{"1":"Laporan 7858: sudah diterima."}"""));
            Assert.That(request.Form.ContainsKey("Body"), Is.False);
        }
        else Assert.That(request.Form["Body"], Is.EqualTo("Laporan 7858: sudah diterima."));
        if (c.Expected == SendResult.Sent) Assert.That(outcome.ProviderMessageId, Is.EqualTo("SM0123456789abcdef0123456789abcdef"));
        if (c.RetryAfter is not null) Assert.That(outcome.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(7)));
    }
}
