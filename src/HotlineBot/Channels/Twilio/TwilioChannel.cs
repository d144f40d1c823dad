using System.Globalization;
using System.Text;
using HotlineBot.Core.Indonesia;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace HotlineBot.Channels.Twilio;

/// <summary>
/// Twilio Programmable Messaging, SMS and WhatsApp alike. Inbound webhooks are form posts signed with
/// X-Twilio-Signature; the reply rides the response as TwiML.
/// https://www.twilio.com/docs/messaging/guides/webhook-request — trimmed sample:
/// <code>MessageSid=SM8824…&amp;AccountSid=AC…&amp;From=whatsapp%3A%2B6285176810035&amp;To=whatsapp%3A%2B14155238886&amp;Body=Halo&amp;WaId=6285176810035</code>
/// </summary>
public sealed partial class TwilioChannel(IOptions<TwilioOptions> options, IHttpClientFactory? http = null, IOptions<Configuration.HotlineOptions>? hotline = null) : IChannel
{
    public const string SignatureHeader = "X-Twilio-Signature";
    public const string HttpClientName = "twilio";
    private const string WhatsAppPrefix = "whatsapp:";
    private readonly TwilioOptions _options = options.Value;

    public string Provider => "twilio";

    public WebhookOutcome Receive(WebhookRequest request)
    {
        if (Verified(request) is not { } fields) return Rejection(request);
        if (!fields.TryGetValue("MessageSid", out var sid) || sid.Length == 0 || !fields.TryGetValue("From", out var from) || from.Length == 0)
            return new WebhookRejected(400, "MessageSid and From are required");

        var whatsApp = from.StartsWith(WhatsAppPrefix, StringComparison.OrdinalIgnoreCase);
        var raw = whatsApp ? from[WhatsAppPrefix.Length..] : from;
        var number = IndonesianPhone.ToE164(raw) ?? raw;      // WhatsApp business-scoped ids (ID.4566…, US.1234) stay as they are
        var text = fields.GetValueOrDefault("Body") is { Length: > 0 } body ? body : fields.GetValueOrDefault("ButtonText") ?? "";
        var media = Enumerable.Range(0, int.TryParse(fields.GetValueOrDefault("NumMedia"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? Math.Min(n, 10) : 0)
            .Select(i => fields.GetValueOrDefault($"MediaUrl{i.ToString(CultureInfo.InvariantCulture)}")).OfType<string>().Where(u => u.Length > 0).ToList();
        return new MessageReceived(new InboundMessage(
            Provider, sid, whatsApp ? WhatsAppPrefix + number : "tel:" + number, whatsApp ? "whatsapp" : "sms", text, Location(fields))
        {
            Media = media,
            ExternalUserId = whatsApp && fields.GetValueOrDefault("ExternalUserId") is { Length: > 9 } external
                && external.StartsWith(WhatsAppPrefix, StringComparison.Ordinal) ? external : null,
        });
    }

    /// <summary>
    /// A status callback (https://www.twilio.com/docs/messaging/guides/track-outbound-message-status), signed like the
    /// inbound webhook. Trimmed sample: <c>MessageSid=SM…&amp;MessageStatus=delivered&amp;ErrorCode=&amp;To=%2B6281…</c>;
    /// our message id rides the callback URL's query (<c>?m=42</c>).
    /// </summary>
    public WebhookOutcome ReceiveStatus(WebhookRequest request)
    {
        if (Verified(request) is not { } fields) return Rejection(request);
        if (!fields.TryGetValue("MessageSid", out var sid) || sid.Length == 0
            || !fields.TryGetValue("MessageStatus", out var status) || status.Length == 0)
            return new WebhookRejected(400, "MessageSid and MessageStatus are required");
        int? error = int.TryParse(fields.GetValueOrDefault("ErrorCode"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var e) ? e : null;
        var query = request.Url.IndexOf('?', StringComparison.Ordinal) is var q and >= 0 ? QueryHelpers.ParseQuery(request.Url[q..]) : null;
        long? ours = query is not null && query.TryGetValue("m", out var m) && long.TryParse(m, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
        return new StatusReceived(sid, status.ToLowerInvariant(), error, ours,
            error is { } code && TwilioErrors.ByCode.TryGetValue(code, out var meaning) ? meaning : null);
    }

    /// <summary>The form fields of a POST that Twilio signed for this URL, or null.</summary>
    private Dictionary<string, string>? Verified(WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!string.Equals(request.Method, "POST", StringComparison.OrdinalIgnoreCase)) return null;
        if (request.ContentType is null || !request.ContentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)) return null;
        var form = ParseForm(request.Body.Span);
        if (form is null) return null;
        request.Headers.TryGetValue(SignatureHeader, out var signature);
        if (string.IsNullOrEmpty(_options.AuthToken) || !TwilioSignature.IsValid(_options.AuthToken, request.Url, form, signature)) return null;
        var fields = new Dictionary<string, string>(form.Count, StringComparer.Ordinal);
        foreach (var (key, value) in form) fields.TryAdd(key, value);
        if (!string.IsNullOrEmpty(_options.AccountSid) && fields.TryGetValue("AccountSid", out var account) && account != _options.AccountSid) return null;
        return fields;
    }

    /// <summary>Why <see cref="Verified"/> said no, as the status code the provider gets.</summary>
    private static WebhookRejected Rejection(WebhookRequest request) =>
        !string.Equals(request.Method, "POST", StringComparison.OrdinalIgnoreCase) ? new(405, "POST only")
        : request.ContentType is null || !request.ContentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) ? new(415, "form-encoded body expected")
        : ParseForm(request.Body.Span) is null ? new(400, "malformed form body")
        : new(403, "invalid signature");

    // WhatsApp location messages: MessageType=location, Body empty, Latitude/Longitude, optional Address and Label.
    private static SharedLocation? Location(Dictionary<string, string> fields)
    {
        if (!double.TryParse(fields.GetValueOrDefault("Latitude"), NumberStyles.Float, CultureInfo.InvariantCulture, out var lat)
            || !double.TryParse(fields.GetValueOrDefault("Longitude"), NumberStyles.Float, CultureInfo.InvariantCulture, out var lon))
            return null;
        var label = string.Join(", ", new[] { fields.GetValueOrDefault("Label"), fields.GetValueOrDefault("Address") }.Where(s => !string.IsNullOrWhiteSpace(s)));
        return SharedLocation.From(lat, lon, label.Length > 0 ? label : null);
    }

    public WebhookResponse Reply(IReadOnlyList<string> replies)
    {
        ArgumentNullException.ThrowIfNull(replies);
        var sb = new StringBuilder("""<?xml version="1.0" encoding="UTF-8"?>""");
        if (replies.Count == 0)
        {
            sb.Append("<Response/>");
        }
        else
        {
            sb.Append("<Response>");
            foreach (var reply in replies) sb.Append("<Message>").Append(XmlEscape(reply)).Append("</Message>");
            sb.Append("</Response>");
        }
        return new WebhookResponse(200, "text/xml; charset=utf-8", sb.ToString());
    }

    /// <summary>
    /// POST /2010-04-01/Accounts/{AccountSid}/Messages.json with HTTP Basic auth (operation CreateMessage in Twilio's
    /// OpenAPI spec, twilio/twilio-oai). Trimmed success body (201): <c>{"sid":"SM…","status":"queued",…}</c>; error
    /// body: <c>{"code":21610,"message":"…","status":400}</c>.
    /// </summary>
    public async Task<SendOutcome> SendAsync(OutboundMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (http is null || !_options.IsConfigured) return new SendOutcome(SendResult.Permanent, Error: "Twilio is not configured");
        var whatsApp = message.ContactAddress.StartsWith(WhatsAppPrefix, StringComparison.Ordinal);
        var to = whatsApp ? message.ContactAddress : message.ContactAddress["tel:".Length..];
        var text = whatsApp ? message.Body : Core.Sms.SmsText.Sanitize(message.Body);   // keep SMS in GSM-7 where possible
        var form = new List<KeyValuePair<string, string>> { new("To", to) };
        if (message.Template is { } contentSid)
        {
            // An approved template: ContentSid and its variables, and no Body
            // (https://www.twilio.com/docs/api/errors/63016).
            form.Add(new("ContentSid", contentSid));
            form.Add(new("ContentVariables", System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["1"] = text })));
        }
        else
        {
            form.Add(new("Body", text));
        }
        if (hotline?.Value.PublicBaseUrl is { Length: > 0 } publicUrl)
            form.Add(new("StatusCallback", string.Create(CultureInfo.InvariantCulture, $"{publicUrl.TrimEnd('/')}/webhooks/twilio/status?m={message.Id}")));
        if (!string.IsNullOrEmpty(_options.MessagingServiceSid)) form.Add(new("MessagingServiceSid", _options.MessagingServiceSid));
        else if ((whatsApp ? _options.WhatsAppFrom : _options.SmsFrom) is { Length: > 0 } from) form.Add(new("From", from));
        else return new SendOutcome(SendResult.Permanent, Error: whatsApp ? "Twilio:WhatsAppFrom is not set" : "Twilio:SmsFrom is not set");

        var client = http.CreateClient(HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Post,
            new Uri($"{_options.ApiBaseUrl.TrimEnd('/')}/2010-04-01/Accounts/{_options.AccountSid}/Messages.json"))
        {
            Content = new FormUrlEncodedContent(form),
        };
        request.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_options.AccountSid}:{_options.AuthToken}")));
        request.Headers.Accept.Add(new("application/json"));
        var (response, failure) = await ProviderHttp.SendAsync(client, request, "twilio", ct);
        if (response is null) return failure!;
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            if (response.IsSuccessStatusCode) return SendOutcome.Sent(JsonField(body, "sid"));
            int? code = int.TryParse(JsonField(body, "code"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var c) ? c : null;
            return new SendOutcome(TwilioErrors.Classify((int)response.StatusCode, code),
                Error: $"twilio {(int)response.StatusCode} {code}: {JsonField(body, "message")}", RetryAfter: response.Headers.RetryAfter?.Delta);
        }
    }

    private static string? JsonField(string json, string name)
    {
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object && doc.RootElement.TryGetProperty(name, out var v)
                ? v.ToString()
                : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;   // gateway errors come as HTML: the status code decides
        }
    }

    /// <summary>Every field in order, empty values kept (they are signed too). Null when the body is not a form.</summary>
    internal static List<KeyValuePair<string, string>>? ParseForm(ReadOnlySpan<byte> body)
    {
        string text;
        try { text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body); }
        catch (DecoderFallbackException) { return null; }
        var pairs = new List<KeyValuePair<string, string>>(24);
        using var reader = new FormReader(text);
        try
        {
            while (reader.ReadNextPair() is { } pair) pairs.Add(new(pair.Key, pair.Value));
        }
        catch (InvalidDataException)
        {
            return null;   // over FormReader's key, value or count limits
        }
        return pairs;
    }

    private static string XmlEscape(string text)
    {
        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                default:
                    if (c is '\t' or '\n' or '\r' || c >= ' ') sb.Append(c);   // XML 1.0 forbids other control characters
                    break;
            }
        }
        return sb.ToString();
    }
}
