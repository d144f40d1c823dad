namespace HotlineBot.Channels;

/// <summary>
/// One provider API (Twilio, later Meta's Cloud API and the Android SMS gateway): verifies and parses its webhooks
/// into one normalized <see cref="InboundMessage"/>, renders the provider's webhook reply, and sends outbox messages
/// through the provider's API. Adapters see a plain <see cref="WebhookRequest"/>, never <c>HttpContext</c>, so their
/// tests are plain data; expected send failures are returned as a <see cref="SendOutcome"/>, not thrown.
/// </summary>
public interface IChannel
{
    /// <summary>The provider name stored with each message: <c>twilio</c>, <c>simulator</c>.</summary>
    string Provider { get; }

    /// <summary>True when the webhook response can carry replies (TwiML); otherwise they go through the outbox.</summary>
    bool RepliesInline => true;

    /// <summary>True when the provider sends a webhook again after a 5xx (Meta for days, the Android gateway with
    /// backoff); Twilio does not by default, so a message it gave us that fails is answered at once, never left unanswered.</summary>
    bool RetriesWebhooks => false;

    /// <summary>Verifies and parses a webhook. Never throws for bad input: a hostile request is a 4xx outcome.</summary>
    WebhookOutcome Receive(WebhookRequest request);

    /// <summary>The HTTP response that carries <paramref name="replies"/> back to the provider (TwiML for Twilio).</summary>
    WebhookResponse Reply(IReadOnlyList<string> replies);

    /// <summary>Sends one outbox message. The job that calls it decides on retries from the outcome.</summary>
    Task<SendOutcome> SendAsync(OutboundMessage message, CancellationToken ct);
}

/// <summary>An outbox row to send: our message id, the contact's address (<c>tel:+62…</c>, <c>whatsapp:+62…</c>), the text,
/// and — outside WhatsApp's 24-hour window — the approved template to send it in instead of free text.</summary>
public sealed record OutboundMessage(long Id, string ContactAddress, string Body, string? Template = null, string TemplateLanguage = "id")
{
    /// <summary>The answers of a single-choice question, shown as buttons where the channel can.</summary>
    public IReadOnlyList<string> Options { get; init; } = [];
}

/// <summary><c>WindowClosed</c>: WhatsApp refused free text outside the 24-hour window (Twilio 63016, Meta 131047).</summary>
public enum SendResult { Sent, Throttled, Transient, Permanent, OptedOut, WindowClosed }

/// <summary>What a send did: <c>Sent</c> with the provider's id; <c>Throttled</c>/<c>Transient</c> are retried later
/// (after <see cref="RetryAfter"/> when the provider said); <c>Permanent</c> and <c>OptedOut</c> never are.</summary>
/// <param name="Attempted">False when nothing reached the provider (the circuit was open): the message waits without
/// using up one of its attempts.</param>
public sealed record SendOutcome(SendResult Result, string? ProviderMessageId = null, string? Error = null, TimeSpan? RetryAfter = null,
    bool Attempted = true)
{
    public static SendOutcome Sent(string? id) => new(SendResult.Sent, id);
}

/// <summary>A webhook as it arrived. <see cref="Url"/> is the public URL the provider called (for signatures).</summary>
public sealed record WebhookRequest(string Method, string Url, IReadOnlyDictionary<string, string> Headers, ReadOnlyMemory<byte> Body, string? ContentType);

/// <summary>A citizen's or partner's message, whatever the provider.</summary>
/// <param name="ContactAddress"><c>tel:+62…</c>, <c>whatsapp:+62…</c> or <c>sim:+62…</c>.</param>
/// <param name="Channel"><c>sms</c>, <c>whatsapp</c> or <c>simulator</c>.</param>
/// <param name="Location">A shared location (WhatsApp), with its label or address when the sender gave one.</param>
public sealed record InboundMessage(string Provider, string ProviderMessageId, string ContactAddress, string Channel, string Text,
    SharedLocation? Location = null)
{
    /// <summary>Attached photos or documents by reference: Twilio media URLs, <c>meta-media:&lt;id&gt;</c> for the Cloud API.</summary>
    public IReadOnlyList<string> Media { get; init; } = [];

    /// <summary>
    /// WhatsApp's business-scoped user id (<c>whatsapp:ID.4566…</c>) when the provider gives it: it stays the same when
    /// the person later hides their number behind a username, so it links both addresses to one contact.
    /// </summary>
    public string? ExternalUserId { get; init; }
}

public sealed record SharedLocation(double Latitude, double Longitude, string? Label)
{
    /// <summary>A position from a provider's payload, or null when it is not one (NaN, infinity, out of range): a
    /// message whose location cannot be a place on Earth is taken without it, never stored as a poison value.</summary>
    public static SharedLocation? From(double latitude, double longitude, string? label) =>
        double.IsFinite(latitude) && double.IsFinite(longitude) && latitude is >= -90 and <= 90 && longitude is >= -180 and <= 180
            ? new SharedLocation(latitude, longitude, label)
            : null;
}

public abstract record WebhookOutcome;

/// <summary>Verified and parsed: process it, then reply.</summary>
public sealed record MessageReceived(InboundMessage Message) : WebhookOutcome;

/// <summary>Several things in one webhook (Meta batches messages and statuses): each is handled on its own.</summary>
public sealed record WebhookBatch(IReadOnlyList<WebhookOutcome> Items) : WebhookOutcome;

/// <summary>A delivery report for a message we sent: the provider's id, its status word, and an error code when it failed.</summary>
/// <param name="Meaning">What the error code means, read from the provider's own error table (a closed WhatsApp window,
/// an opt-out, …); null without a code or for a code the table does not know.</param>
public sealed record StatusReceived(string ProviderMessageId, string Status, int? ErrorCode, long? OurMessageId,
    SendResult? Meaning = null) : WebhookOutcome;

/// <summary>Genuine and well formed, but nothing the hotline can act on or answer (an SMS from the operator's short code
/// or a sender name): acknowledged so the provider stops retrying, and logged as a warning — never dropped unseen.</summary>
public sealed record WebhookIgnored(string Reason) : WebhookOutcome;

/// <summary>Refused before any processing: 400 malformed, 403 forged, 413 too large, 415 wrong type.</summary>
public sealed record WebhookRejected(int StatusCode, string Reason) : WebhookOutcome;

public sealed record WebhookResponse(int StatusCode, string ContentType, string Body);
