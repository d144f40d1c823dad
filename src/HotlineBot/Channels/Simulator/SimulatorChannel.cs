using System.Text.Json;
using HotlineBot.Channels.Twilio;
using HotlineBot.Core.Indonesia;

namespace HotlineBot.Channels.Simulator;

/// <summary>
/// The channel used when no provider account is configured: the <c>chat</c> command (or curl) posts a form
/// <c>from=0812…&amp;text=halo&amp;id=&lt;unique&gt;</c> and gets the replies back as JSON. It runs through the same
/// pipeline as Twilio. It is only mapped when Twilio is not configured, and only answers loopback callers.
/// </summary>
public sealed class SimulatorChannel : IChannel
{
    public string Provider => "simulator";

    public WebhookOutcome Receive(WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentType is null || !request.ContentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
            return new WebhookRejected(415, "form-encoded body expected");
        var form = TwilioChannel.ParseForm(request.Body.Span);
        if (form is null) return new WebhookRejected(400, "malformed form body");
        string? Field(string name) => form.Find(p => p.Key == name).Value;
        var id = Field("id");
        var number = Field("from") is { } from ? IndonesianPhone.ToE164(from) : null;
        if (string.IsNullOrEmpty(id) || number is null) return new WebhookRejected(400, "id and a phone number in 'from' are required");
        return new MessageReceived(new InboundMessage(Provider, id, "sim:" + number, "simulator", Field("text") ?? ""));
    }

    /// <summary>Nothing leaves the machine: a sent row is what the <c>chat</c> command polls and prints.</summary>
    public Task<SendOutcome> SendAsync(OutboundMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Task.FromResult(SendOutcome.Sent(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"sim-{message.Id}")));
    }

    public WebhookResponse Reply(IReadOnlyList<string> replies) =>
        new(200, "application/json; charset=utf-8", JsonSerializer.Serialize(new SimulatorReply(replies), SimulatorJson.Default.SimulatorReply));
}

public sealed record SimulatorReply(IReadOnlyList<string> Replies);

/// <summary>A message the outbox sent to a simulated phone.</summary>
public sealed record SimulatorSent(long Id, string Body);
