using HotlineBot.Channels;
using HotlineBot.Channels.WhatsAppCloud;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests.Channels.WhatsAppCloud;

/// <summary>Sending through the Graph API on loopback (real HTTP, bearer token), one case per kind of message and per
/// answer Meta gives (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages): what we post, and
/// what the outbox makes of the answer.</summary>
public sealed class WhatsAppCloudSendTests
{
    public sealed record SendCase(string Label, string To, int Status, string Body, SendResult Expected, string ExpectedTo = "6281234567890",
        string? Template = null, string[]? Options = null, string? ExpectedText = null, string[]? ExpectedOptions = null)
    {
        public override string ToString() => Label;
    }

    private const string Accepted = """{"messaging_product":"whatsapp","contacts":[{"input":"6281234567890","wa_id":"6281234567890"}],"messages":[{"id":"wamid.SENT1"}]}""";
    private const string Text = "Laporan 7858: sudah diterima.";

    private static readonly SendCase[] Cases =
    [
        new("Text accepted: digits without +", "whatsapp:+6281234567890", 200, Accepted, SendResult.Sent),
        new("To a username's business-scoped id", "whatsapp:ID.4566546130240823", 200, Accepted, SendResult.Sent, ExpectedTo: "ID.4566546130240823"),
        new("Template with the text as its variable", "whatsapp:+6281234567890", 200, Accepted, SendResult.Sent, Template: "status_laporan",
            ExpectedText: "template status_laporan: " + Text),
        new("Three answers as reply buttons", "whatsapp:+6281234567890", 200, Accepted, SendResult.Sent, Options: ["Ya", "Tidak", "Tidak tahu"],
            ExpectedOptions: ["Ya", "Tidak", "Tidak tahu"]),
        new("Window closed (131047)", "whatsapp:+6281234567890", 400, """{"error":{"message":"Re-engagement message","type":"OAuthException","code":131047}}""", SendResult.WindowClosed),
        new("Rate limit (130429) slows the sender", "whatsapp:+6281234567890", 429, """{"error":{"message":"Rate limit hit","code":130429}}""", SendResult.Throttled),
        new("Service unavailable (131016) is transient", "whatsapp:+6281234567890", 503, """{"error":{"message":"Service unavailable","code":131016}}""", SendResult.Transient),
        new("Invalid parameter is permanent", "whatsapp:+6281234567890", 400, """{"error":{"message":"Invalid parameter","code":100}}""", SendResult.Permanent),
    ];

    [TestCaseSource(nameof(Cases))]
    public async Task Send(SendCase c)
    {
        await using var graph = await FakeGraph.StartAsync();
        using var host = new HotlineHost(new()
        {
            ["WhatsAppCloud:AppSecret"] = "s", ["WhatsAppCloud:VerifyToken"] = "v", ["WhatsAppCloud:AccessToken"] = "graph-token",
            ["WhatsAppCloud:PhoneNumberId"] = "1234567890", ["WhatsAppCloud:ApiBaseUrl"] = graph.BaseUrl,
        });
        graph.Then(c.Status, c.Body);
        var channel = host.Services.GetRequiredService<WhatsAppCloudChannel>();

        var outcome = await channel.SendAsync(new OutboundMessage(42, c.To, Text, c.Template) { Options = c.Options ?? [] }, CancellationToken.None);

        Assert.That(outcome.Result, Is.EqualTo(c.Expected), outcome.Error);
        var request = graph.Requests.Single();
        Assert.That(request.Path, Is.EqualTo("/1234567890/messages"));
        Assert.That(request.Authorization, Is.EqualTo("Bearer graph-token"));
        Assert.That(request.To, Is.EqualTo(c.ExpectedTo));
        Assert.That(request.Text, Is.EqualTo(c.ExpectedText ?? Text));
        Assert.That(request.Options, Is.EqualTo(c.ExpectedOptions ?? []));
        if (c.Expected == SendResult.Sent) Assert.That(outcome.ProviderMessageId, Is.EqualTo("wamid.SENT1"));
    }
}
