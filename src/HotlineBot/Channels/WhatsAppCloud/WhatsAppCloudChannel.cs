using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HotlineBot.Core.Indonesia;
using Microsoft.Extensions.Options;
using static HotlineBot.Channels.UntrustedJson;

namespace HotlineBot.Channels.WhatsAppCloud;

/// <summary>
/// Meta's WhatsApp Cloud API. Webhooks are JSON signed with X-Hub-Signature-256 (HMAC-SHA256 of the raw body with the
/// app secret) and cannot carry a reply, so replies go through the outbox and the Graph API.
/// https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks — trimmed sample (courier's wac/hello.json):
/// <code>{"object":"whatsapp_business_account","entry":[{"changes":[{"value":{"messages":[{"from":"5678","id":"wamid…","type":"text","text":{"body":"Hello World"}}]},"field":"messages"}]}]}</code>
/// </summary>
public sealed class WhatsAppCloudChannel(IOptions<WhatsAppCloudOptions> options, IHttpClientFactory? http = null) : IChannel
{
    public const string SignatureHeader = "X-Hub-Signature-256";
    public const string HttpClientName = "whatsapp-cloud";
    private readonly WhatsAppCloudOptions _options = options.Value;

    public string Provider => "whatsapp-cloud";
    public bool RepliesInline => false;
    public bool RetriesWebhooks => true;

    /// <summary>The subscription handshake: echo <c>hub.challenge</c> when the mode is subscribe and the token ours.</summary>
    public (int Status, string Body) Verify(string? mode, string? token, string? challenge) =>
        mode == "subscribe" && !string.IsNullOrEmpty(_options.VerifyToken) && token is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(_options.VerifyToken))
        && !string.IsNullOrEmpty(challenge)
            ? (200, challenge)
            : (403, "verification failed");

    public WebhookOutcome Receive(WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!string.Equals(request.Method, "POST", StringComparison.OrdinalIgnoreCase)) return new WebhookRejected(405, "POST only");
        request.Headers.TryGetValue(SignatureHeader, out var signature);
        if (!SignatureIsValid(request.Body.Span, signature)) return new WebhookRejected(403, "invalid signature");

        JsonDocument document;
        try { document = JsonDocument.Parse(request.Body); }
        catch (JsonException) { return new WebhookRejected(400, "malformed JSON"); }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("entry", out var entries)
                || entries.ValueKind != JsonValueKind.Array)
                return new WebhookRejected(400, "no entry list");
            // Each message and status on its own: a bad one is acknowledged and logged, the good ones are processed,
            // so Meta does not retry the good ones forever because of a bad neighbour.
            var items = new List<WebhookOutcome>();
            foreach (var entry in entries.EnumerateArray())
            foreach (var change in Items(entry, "changes"))
            {
                if (Child(change, "value") is not { } value) continue;
                foreach (var message in Items(value, "messages")) items.Add(Isolated(message, Message));
                foreach (var status in Items(value, "statuses")) items.Add(Isolated(status, Status));
            }
            return new WebhookBatch(items);
        }
    }

    private static WebhookOutcome Isolated(JsonElement item, Func<JsonElement, WebhookOutcome> parse)
    {
        try { return parse(item); }
        catch (Exception e) when (IsMalformed(e)) { return new WebhookIgnored($"a malformed item ({e.GetType().Name})"); }
    }

    /// <summary>Constant-time check of <c>sha256=&lt;hex&gt;</c> over the raw body bytes, before any parsing.</summary>
    public bool SignatureIsValid(ReadOnlySpan<byte> body, string? header)
    {
        if (string.IsNullOrEmpty(_options.AppSecret) || header is not { Length: 71 } || !header.StartsWith("sha256=", StringComparison.Ordinal)) return false;
        Span<byte> expected = stackalloc byte[32];
        try { Convert.FromHexString(header.AsSpan(7), expected, out _, out _); }
        catch (FormatException) { return false; }
        Span<byte> actual = stackalloc byte[32];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(_options.AppSecret), body, actual);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private WebhookOutcome Message(JsonElement m)
    {
        if (Text(m, "type") == "reaction") return new WebhookIgnored("a reaction (an emoji on one of our messages)");
        var id = Text(m, "id");
        // Username-only users have no phone number: their business-scoped id is who they are.
        var sender = Text(m, "from") is { Length: > 0 } from ? IndonesianPhone.ToE164("+" + from) ?? from : Text(m, "from_user_id");
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(sender)) return new WebhookIgnored("a message without id or sender");
        var type = Text(m, "type");
        string text = type switch
        {
            "text" => Child(m, "text") is { } t ? Text(t, "body") ?? "" : "",
            "interactive" when Child(m, "interactive") is { } i =>
                Child(i, "button_reply") is { } b ? Tapped(b)
                : Child(i, "list_reply") is { } l ? Tapped(l) : "",
            "button" when Child(m, "button") is { } b => Text(b, "text") ?? "",
            "image" or "document" or "video" when Child(m, type) is { } media => Text(media, "caption") ?? "",
            _ => "",
        };
        SharedLocation? location = null;
        if (type == "location" && Child(m, "location") is { } loc && Number(loc, "latitude") is { } lat && Number(loc, "longitude") is { } lon)
        {
            var label = string.Join(", ", new[] { Text(loc, "name"), Text(loc, "address") }.Where(s => !string.IsNullOrWhiteSpace(s)));
            location = SharedLocation.From(lat, lon, label.Length > 0 ? label : null);
        }
        // Media come as ids, resolved through the Graph API with our token when someone looks at them.
        List<string> attachments = type is "image" or "document" or "video" or "audio" && Child(m, type) is { } attached && Text(attached, "id") is { } mediaId
            ? ["meta-media:" + mediaId] : [];
        return new MessageReceived(new InboundMessage(Provider, id, "whatsapp:" + sender, "whatsapp", text, location) {
            Media = attachments,
            ExternalUserId = Text(m, "from_user_id") is { Length: > 0 } userId ? "whatsapp:" + userId : null,
        });
    }

    /// <summary>A tapped answer: its title, unless the title is one we cut to fit — then its id, which is our menu
    /// number (both read by the dialog like typed answers).</summary>
    private static string Tapped(JsonElement reply)
    {
        var title = Text(reply, "title") ?? "";
        var id = Text(reply, "id");
        var cut = title.Length is MaxButtonTitle or MaxRowTitle;
        return cut && id is { Length: > 0 } && id.All(char.IsAsciiDigit) ? id : title;
    }

    private static WebhookOutcome Status(JsonElement s)
    {
        var id = Text(s, "id");
        var status = Text(s, "status");
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(status)) return new WebhookIgnored("a status without id or status");
        // Meta sends the code as a number; a string code is read as none (the status itself still counts).
        var code = Items(s, "errors").Select(e => WholeNumber(e, "code")).FirstOrDefault();
        return new StatusReceived(id, status, code, null,
            code is { } known && WhatsAppCloudErrors.ByCode.TryGetValue(known, out var meaning) ? meaning : null);
    }


    public WebhookResponse Reply(IReadOnlyList<string> replies) => new(200, "text/plain; charset=utf-8", "ok");

    /// <summary>
    /// POST {ApiBaseUrl}/{PhoneNumberId}/messages, Bearer token
    /// (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages):
    /// <c>{"messaging_product":"whatsapp","recipient_type":"individual","to":"6281…","type":"text","text":{"body":"…","preview_url":false}}</c>;
    /// success <c>{"messages":[{"id":"wamid…"}]}</c>; error <c>{"error":{"code":131047,"message":"…"}}</c>.
    /// </summary>
    public async Task<SendOutcome> SendAsync(OutboundMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (http is null || !_options.IsConfigured) return new SendOutcome(SendResult.Permanent, Error: "WhatsApp Cloud API is not configured");
        var recipient = message.ContactAddress.StartsWith("whatsapp:", StringComparison.Ordinal) ? message.ContactAddress["whatsapp:".Length..] : message.ContactAddress;
        var byPhone = recipient.StartsWith('+');
        using var body = new MemoryStream();
        using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            json.WriteString("messaging_product", "whatsapp");
            json.WriteString("recipient_type", "individual");
            json.WriteString(byPhone ? "to" : "recipient", byPhone ? recipient[1..] : recipient);
            if (message.Template is { } template)
            {
                // Outside the 24-hour window: the approved template, the text as its one body parameter
                // (DESIGN.md §3, "Provider facts").
                json.WriteString("type", "template");
                json.WriteStartObject("template");
                json.WriteString("name", template);
                json.WriteStartObject("language");
                json.WriteString("policy", "deterministic");
                json.WriteString("code", message.TemplateLanguage);
                json.WriteEndObject();
                json.WriteStartArray("components");
                json.WriteStartObject();
                json.WriteString("type", "body");
                json.WriteStartArray("parameters");
                json.WriteStartObject();
                json.WriteString("type", "text");
                json.WriteString("text", message.Body.Length > 1024 ? message.Body[..1024] : message.Body);
                json.WriteEndObject();
                json.WriteEndArray();
                json.WriteEndObject();
                json.WriteEndArray();
                json.WriteEndObject();
            }
            else if (message.Options.Count is > 0 and <= MaxListRows)
            {
                WriteInteractive(json, message);
            }
            else
            {
                json.WriteString("type", "text");
                json.WriteStartObject("text");
                json.WriteString("body", message.Body);
                json.WriteBoolean("preview_url", false);
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"{_options.ApiBaseUrl.TrimEnd('/')}/{_options.PhoneNumberId}/messages"))
        {
            Content = new ByteArrayContent(body.ToArray()) { Headers = { ContentType = new("application/json") } },
        };
        request.Headers.Authorization = new("Bearer", _options.AccessToken);
        var (response, failure) = await ProviderHttp.SendAsync(http.CreateClient(HttpClientName), request, "graph api", ct);
        if (response is null) return failure!;
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            var (id, code, error) = Parse(text);
            if (response.IsSuccessStatusCode) return SendOutcome.Sent(id);
            return new SendOutcome(WhatsAppCloudErrors.Classify((int)response.StatusCode, code),
                Error: string.Create(CultureInfo.InvariantCulture, $"graph {(int)response.StatusCode} {code}: {error}"), RetryAfter: response.Headers.RetryAfter?.Delta);
        }
    }

    private const int MaxButtons = 3, MaxButtonTitle = 20, MaxListRows = 10, MaxRowTitle = 24, MaxInteractiveBody = 1024;

    /// <summary>
    /// A question's answers as reply buttons (up to 3) or a list (up to 10 rows), titles cut to Meta's limits
    /// (courier's payloads.go); a tap comes back as its title, which the dialog matches like a typed answer:
    /// <c>{"type":"interactive","interactive":{"type":"button","body":{"text":"…"},"action":{"buttons":[{"type":"reply","reply":{"id":"1","title":"Ya"}}]}}}</c>
    /// </summary>
    private static void WriteInteractive(Utf8JsonWriter json, OutboundMessage message)
    {
        var buttons = message.Options.Count <= MaxButtons;
        json.WriteString("type", "interactive");
        json.WriteStartObject("interactive");
        json.WriteString("type", buttons ? "button" : "list");
        json.WriteStartObject("body");
        json.WriteString("text", message.Body.Length > MaxInteractiveBody ? message.Body[..MaxInteractiveBody] : message.Body);
        json.WriteEndObject();
        json.WriteStartObject("action");
        if (buttons)
        {
            json.WriteStartArray("buttons");
            for (var i = 0; i < message.Options.Count; i++)
            {
                json.WriteStartObject();
                json.WriteString("type", "reply");
                json.WriteStartObject("reply");
                json.WriteString("id", (i + 1).ToString(CultureInfo.InvariantCulture));
                json.WriteString("title", Cut(message.Options[i], MaxButtonTitle));
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        else
        {
            json.WriteString("button", message.TemplateLanguage == "en" ? "Choose" : "Pilih");
            json.WriteStartArray("sections");
            json.WriteStartObject();
            json.WriteStartArray("rows");
            for (var i = 0; i < message.Options.Count; i++)
            {
                json.WriteStartObject();
                json.WriteString("id", (i + 1).ToString(CultureInfo.InvariantCulture));
                json.WriteString("title", Cut(message.Options[i], MaxRowTitle));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];

    private static (string? Id, int? Code, string? Message) Parse(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (null, null, null);
            if (root.TryGetProperty("messages", out var m) && m.ValueKind == JsonValueKind.Array && m.GetArrayLength() > 0)
                return (Text(m[0], "id"), null, null);
            if (root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object)
                return (null, e.TryGetProperty("code", out var c) && c.TryGetInt32(out var n) ? n : null, Text(e, "message"));
            return (null, null, null);
        }
        catch (JsonException)
        {
            return (null, null, null);   // a proxy's HTML error page: the status code decides
        }
    }
}
