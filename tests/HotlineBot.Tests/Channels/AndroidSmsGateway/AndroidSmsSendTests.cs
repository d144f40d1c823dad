using HotlineBot.Channels;
using HotlineBot.Channels.AndroidSmsGateway;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests.Channels.AndroidSmsGateway;

/// <summary>Sending through SMS Gateway for Android on loopback (real HTTP, basic auth), one case per answer the phone
/// gives (https://docs.sms-gate.app/features/sending-messages): what we post, and what the outbox makes of the
/// answer.</summary>
public sealed class AndroidSmsSendTests
{
    public sealed record SendCase(string Label, string To, int? Status, SendResult Expected, string? ExpectedNumber = "+6281234567890",
        string Body = "Laporan 7858: sudah diterima.", string? ExpectedText = null)
    {
        public override string ToString() => Label;
    }

    private static readonly SendCase[] Cases =
    [
        new("Accepted (202) with our id", "tel:+6281234567890", 202, SendResult.Sent),
        new("Already accepted (409): treated as sent", "tel:+6281234567890", 409, SendResult.Sent),
        new("Queue limits (503) are retried later", "tel:+6281234567890", 503, SendResult.Throttled),
        new("Server error is transient", "tel:+6281234567890", 500, SendResult.Transient),
        new("Bad request is permanent", "tel:+6281234567890", 400, SendResult.Permanent),
        new("A WhatsApp address goes as +62 too", "whatsapp:+6281234567890", 202, SendResult.Sent),
        new("Text is kept in GSM-7", "tel:+6281234567890", 202, SendResult.Sent, Body: "“Tiba” — segera…", ExpectedText: "\"Tiba\" - segera..."),
        new("Not a phone number: nothing is sent", "whatsapp:ID.4566546130240823", null, SendResult.Permanent, ExpectedNumber: null),
    ];

    [TestCaseSource(nameof(Cases))]
    public async Task Send(SendCase c)
    {
        await using var gateway = await FakeSmsGateway.StartAsync();
        using var host = new HotlineHost(new()
        {
            ["AndroidSms:BaseUrl"] = gateway.BaseUrl, ["AndroidSms:Username"] = "sms", ["AndroidSms:Password"] = "rahasia", ["AndroidSms:SigningKey"] = "k3Y_x9Qa",
        });
        if (c.Status is { } status) gateway.Then(status);
        var channel = host.Services.GetRequiredService<AndroidSmsChannel>();

        var outcome = await channel.SendAsync(new OutboundMessage(42, c.To, c.Body), CancellationToken.None);

        Assert.That(outcome.Result, Is.EqualTo(c.Expected), outcome.Error);
        if (c.ExpectedNumber is null)
        {
            Assert.That(gateway.Requests, Is.Empty);
            return;
        }
        var request = gateway.Requests.Single();
        Assert.That(request.To, Is.EqualTo(c.ExpectedNumber));
        Assert.That(request.Id, Is.EqualTo("hb42"), "our message id: a repeat is a 409, never a second SMS");
        Assert.That(request.Text, Is.EqualTo(c.ExpectedText ?? c.Body));
        Assert.That(request.Authorization, Is.EqualTo("Basic " + Convert.ToBase64String("sms:rahasia"u8.ToArray())));
        if (c.Expected == SendResult.Sent) Assert.That(outcome.ProviderMessageId, Is.EqualTo("hb42"));
    }
}
