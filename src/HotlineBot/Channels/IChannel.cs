namespace HotlineBot.Channels;

/// <summary>
/// One provider API (Twilio, later Meta's Cloud API and the Android SMS gateway): verifies and parses its webhooks
/// into one normalized <see cref="InboundMessage"/> and renders the provider's webhook reply. Adapters see a plain
/// <see cref="WebhookRequest"/>, never <c>HttpContext</c>, so their tests are plain data. Sending through the
/// provider's REST API arrives with the outbox.
/// </summary>
public interface IChannel
{
    /// <summary>The provider name stored with each message: <c>twilio</c>, <c>simulator</c>.</summary>
    string Provider { get; }

    /// <summary>Verifies and parses a webhook. Never throws for bad input: a hostile request is a 4xx outcome.</summary>
    WebhookOutcome Receive(WebhookRequest request);

    /// <summary>The HTTP response that carries <paramref name="replies"/> back to the provider (TwiML for Twilio).</summary>
    WebhookResponse Reply(IReadOnlyList<string> replies);
}

/// <summary>A webhook as it arrived. <see cref="Url"/> is the public URL the provider called (for signatures).</summary>
public sealed record WebhookRequest(string Method, string Url, IReadOnlyDictionary<string, string> Headers, ReadOnlyMemory<byte> Body, string? ContentType);

/// <summary>A citizen's or partner's message, whatever the provider.</summary>
/// <param name="ContactAddress"><c>tel:+62…</c>, <c>whatsapp:+62…</c> or <c>sim:+62…</c>.</param>
/// <param name="Channel"><c>sms</c>, <c>whatsapp</c> or <c>simulator</c>.</param>
/// <param name="Location">A shared location (WhatsApp), with its label or address when the sender gave one.</param>
public sealed record InboundMessage(string Provider, string ProviderMessageId, string ContactAddress, string Channel, string Text,
    SharedLocation? Location = null);

public sealed record SharedLocation(double Latitude, double Longitude, string? Label);

public abstract record WebhookOutcome;

/// <summary>Verified and parsed: process it, then reply.</summary>
public sealed record MessageReceived(InboundMessage Message) : WebhookOutcome;

/// <summary>Refused before any processing: 400 malformed, 403 forged, 413 too large, 415 wrong type.</summary>
public sealed record WebhookRejected(int StatusCode, string Reason) : WebhookOutcome;

public sealed record WebhookResponse(int StatusCode, string ContentType, string Body);
