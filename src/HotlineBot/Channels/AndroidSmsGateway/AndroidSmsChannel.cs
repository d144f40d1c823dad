using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HotlineBot.Core.Indonesia;
using Microsoft.Extensions.Options;

namespace HotlineBot.Channels.AndroidSmsGateway;

/// <summary>
/// SMS Gateway for Android (capcom6): an Indonesian SIM in an office phone, for the two-way SMS Twilio does not offer
/// in Indonesia (https://www.twilio.com/en/guidelines/id/sms). The phone POSTs signed JSON webhooks; replies go through
/// the outbox as <c>POST {BaseUrl}/messages</c>. Trimmed webhook (https://docs.sms-gate.app/features/webhooks/):
/// <code>{"event":"sms:received","id":"Ey6E…","payload":{"messageId":"abc123","message":"halo","sender":"+6281…","receivedAt":"…+07:00"}}</code>
/// </summary>
public sealed class AndroidSmsChannel(IOptions<AndroidSmsOptions> options, TimeProvider time, IHttpClientFactory? http = null) : IChannel
{
    public const string SignatureHeader = "X-Signature";
    public const string TimestampHeader = "X-Timestamp";
    public const string HttpClientName = "android-sms";
    /// <summary>Prefix of the ids we give our messages, so the phone's reports name them.</summary>
    public const string IdPrefix = "hb";
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);
    private static readonly long MaxUnixSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();
    private readonly AndroidSmsOptions _options = options.Value;

    public string Provider => "android-sms";
    public bool RepliesInline => false;
    public bool RetriesWebhooks => true;

    public WebhookOutcome Receive(WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!string.Equals(request.Method, "POST", StringComparison.OrdinalIgnoreCase)) return new WebhookRejected(405, "POST only");
        request.Headers.TryGetValue(SignatureHeader, out var signature);
        request.Headers.TryGetValue(TimestampHeader, out var timestamp);
        if (!SignatureIsValid(request.Body.Span, timestamp, signature)) return new WebhookRejected(403, "invalid signature");
        // Unix seconds; anything that is not (milliseconds, a date, a number past year 9999) is malformed, not a crash.
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > MaxUnixSeconds)
            return new WebhookRejected(400, "X-Timestamp must be Unix seconds");
        if ((time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > Tolerance)
            return new WebhookRejected(403, "stale timestamp");

        try
        {
            using var document = JsonDocument.Parse(request.Body);
            var root = document.RootElement;
            var id = Text(root, "id");
            var kind = Text(root, "event");
            if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(kind) || UntrustedJson.Child(root, "payload") is not { } payload)
                return new WebhookRejected(400, "envelope needs id, event and payload");
            return kind switch
            {
                "sms:received" => Received(id, payload),
                "sms:sent" or "sms:delivered" or "sms:failed" => Text(payload, "messageId") is { Length: > 0 } messageId
                    ? new WebhookBatch([new StatusReceived(messageId, kind["sms:".Length..], null, OurId(messageId))])
                    : new WebhookRejected(400, "status without messageId"),
                _ => new WebhookBatch([]),                 // system:ping and the like: acknowledged, nothing to do
            };
        }
        catch (Exception e) when (UntrustedJson.IsMalformed(e))
        {
            return new WebhookRejected(400, "malformed JSON");   // not JSON, or text that is not valid UTF-8/UTF-16
        }
    }

    // The envelope id is the same on the phone's retries of one event: it is the dedupe key.
    private WebhookOutcome Received(string envelopeId, JsonElement payload)
    {
        var sender = Text(payload, "sender") ?? Text(payload, "phoneNumber");   // phoneNumber: older apps
        if (string.IsNullOrWhiteSpace(sender)) return new WebhookRejected(400, "sms:received without a sender");
        // Operators write to the office SIM from short codes and names (3636, TELKOMSEL): no one to answer.
        if (IndonesianPhone.ToE164(sender) is not { } number)
            return new WebhookBatch([new WebhookIgnored($"sms:received from '{sender}', not a phone number")]);
        return new WebhookBatch([new MessageReceived(new InboundMessage(Provider, envelopeId, "tel:" + number, "sms", Text(payload, "message") ?? ""))]);
    }

    /// <summary>X-Signature = hex(HMAC-SHA256(signing key, raw body ‖ X-Timestamp)), compared in constant time.</summary>
    public bool SignatureIsValid(ReadOnlySpan<byte> body, string? timestamp, string? signature)
    {
        if (string.IsNullOrEmpty(_options.SigningKey) || string.IsNullOrEmpty(timestamp) || signature is not { Length: 64 }) return false;
        Span<byte> expected = stackalloc byte[32];
        try { Convert.FromHexString(signature, expected, out _, out _); }
        catch (FormatException) { return false; }
        var message = new byte[body.Length + timestamp.Length];
        body.CopyTo(message);
        Encoding.ASCII.GetBytes(timestamp, message.AsSpan(body.Length));
        Span<byte> actual = stackalloc byte[32];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(_options.SigningKey), message, actual);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static long? OurId(string messageId) =>
        messageId.StartsWith(IdPrefix, StringComparison.Ordinal) && long.TryParse(messageId.AsSpan(IdPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    private static string? Text(JsonElement e, string name) => UntrustedJson.Text(e, name);

    public WebhookResponse Reply(IReadOnlyList<string> replies) => new(200, "text/plain; charset=utf-8", "ok");

    /// <summary>
    /// POST {BaseUrl}/messages with Basic auth (https://docs.sms-gate.app/features/sending-messages):
    /// <c>{"id":"hb42","textMessage":{"text":"…"},"phoneNumbers":["+6281…"],"withDeliveryReport":true}</c> → 202.
    /// Our id makes it idempotent: 409 means the phone already has it. 503 "queue limits exceeded" is retried later.
    /// </summary>
    public async Task<SendOutcome> SendAsync(OutboundMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (http is null || !_options.IsConfigured) return new SendOutcome(SendResult.Permanent, Error: "the Android SMS gateway is not configured");
        var number = IndonesianPhone.ToE164(message.ContactAddress[(message.ContactAddress.IndexOf(':', StringComparison.Ordinal) + 1)..]);
        if (number is null) return new SendOutcome(SendResult.Permanent, Error: $"not a phone number: {message.ContactAddress}");
        var id = string.Create(CultureInfo.InvariantCulture, $"{IdPrefix}{message.Id}");
        using var body = new MemoryStream();
        using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            json.WriteString("id", id);
            json.WriteStartObject("textMessage");
            json.WriteString("text", Core.Sms.SmsText.Sanitize(message.Body));
            json.WriteEndObject();
            json.WriteStartArray("phoneNumbers");
            json.WriteStringValue(number);          // always +62…: the gateway parses with region RU otherwise
            json.WriteEndArray();
            json.WriteBoolean("withDeliveryReport", true);
            json.WriteEndObject();
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"{_options.BaseUrl!.TrimEnd('/')}/messages"))
        {
            Content = new ByteArrayContent(body.ToArray()) { Headers = { ContentType = new("application/json") } },
        };
        request.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_options.Username}:{_options.Password}")));
        var (response, failure) = await ProviderHttp.SendAsync(http.CreateClient(HttpClientName), request, "gateway", ct);
        if (response is null) return failure!;
        using (response)
        {
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode || status == 409) return SendOutcome.Sent(id);
            var text = await response.Content.ReadAsStringAsync(ct);
            var result = status is 503 or 429 ? SendResult.Throttled : status >= 500 ? SendResult.Transient : SendResult.Permanent;
            return new SendOutcome(result, Error: string.Create(CultureInfo.InvariantCulture, $"gateway {status}: {(text.Length > 200 ? text[..200] : text)}"),
                RetryAfter: response.Headers.RetryAfter?.Delta);
        }
    }
}
