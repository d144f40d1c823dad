using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace HotlineBot.Tests.Webhooks.Fuzz;

/// <summary>One generated webhook request: which endpoint, the raw body, how it is signed, and its headers' oddities.</summary>
public sealed record HostileRequest(int Index, string Endpoint, byte[] Body, bool Sign, string? ContentType, string? Timestamp, string? Query)
{
    public override string ToString() =>
        $"#{Index} {Endpoint} signed={Sign} type={ContentType} ts={Timestamp} q={Query} body={Encoding.UTF8.GetString(Body[..Math.Min(Body.Length, 300)])}";
}

/// <summary>
/// A seeded generator of malformed and hostile webhook bodies for every provider endpoint: real payloads of each
/// provider (text, location, buttons, media, statuses, delivery reports), then mutated as a confused or hostile sender
/// would — values of the wrong kind, keys removed or added, roots and items replaced, NaN/huge/negative numbers,
/// lone surrogates, invalid UTF-8, broken percent-encoding, truncation, bodies over the size limit — most of them
/// correctly signed, so they reach the parsers and the pipeline. Request <c>i</c> of seed <c>s</c> is always the same.
/// </summary>
public static class HostileBodies
{
    public static readonly string[] Endpoints = ["twilio", "twilio-status", "whatsapp-cloud", "whatsapp-verify", "android-sms"];

    public static HostileRequest Make(int seed, int index, DateTimeOffset now)
    {
        var r = new Random(HashCode.Combine(seed, index));
        var endpoint = Endpoints[r.Next(Endpoints.Length)];
        var sign = r.Next(10) < 8;
        string? contentType = null, timestamp = null, query = null;
        byte[] body;
        switch (endpoint)
        {
            case "twilio" or "twilio-status":
                body = Form(r, endpoint == "twilio" ? TwilioMessage(r, index) : TwilioStatus(r, index));
                contentType = r.Next(20) == 0 ? Pick(r, "application/json", "text/plain", "", "application/x-www-form-urlencoded; charset=latin1") : "application/x-www-form-urlencoded";
                if (endpoint == "twilio-status" && r.Next(3) == 0) query = "m=" + Pick(r, "1", "-1", "99999999999999999999", "abc", "%00", "");
                break;
            case "whatsapp-verify":
                body = [];
                query = $"hub.mode={Pick(r, "subscribe", "", "x")}&hub.verify_token={Pick(r, "rahasia", "", "%FF", Word(r))}&hub.challenge={Pick(r, "123", "", Word(r))}";
                break;
            case "whatsapp-cloud":
                body = Json(r, MetaPayload(r, index));
                contentType = "application/json";
                break;
            default:
                body = Json(r, AndroidPayload(r, index));
                contentType = "application/json";
                var seconds = now.ToUnixTimeSeconds();
                timestamp = r.Next(8) switch
                {
                    0 => (seconds * 1000).ToString(CultureInfo.InvariantCulture),
                    1 => Pick(r, "", "-1", "abc", "1.5e9", "99999999999999999999", "9223372036854775807", " 1700000000"),
                    2 => (seconds - 3600).ToString(CultureInfo.InvariantCulture),
                    _ => seconds.ToString(CultureInfo.InvariantCulture),
                };
                break;
        }
        return new HostileRequest(index, endpoint, body, sign, contentType, timestamp, query);
    }

    private static List<KeyValuePair<string, string>> TwilioMessage(Random r, int i)
    {
        var from = Pick(r, "+6281277", "whatsapp:+6281277", "0812", "whatsapp:ID.4566", "") + r.Next(100000, 999999).ToString(CultureInfo.InvariantCulture);
        var form = new List<KeyValuePair<string, string>>
        {
            new("MessageSid", $"SMfuzz{i:D26}"), new("AccountSid", HotlineHost.AccountSid), new("From", from), new("To", "+6281100000000"),
            new("Body", Text(r)), new("NumMedia", "0"),
        };
        if (r.Next(4) == 0) form.AddRange([new("Latitude", Number(r)), new("Longitude", Number(r)), new("MessageType", "location"), new("Label", Text(r))]);
        if (r.Next(6) == 0) form.AddRange([new("NumMedia", Number(r)), new("MediaUrl0", Pick(r, "https://api.twilio.com/x", "javascript:alert(1)", "", Word(r)))]);
        if (r.Next(6) == 0) form.AddRange([new("ButtonText", Text(r)), new("ExternalUserId", "whatsapp:" + Word(r))]);
        return form;
    }

    private static List<KeyValuePair<string, string>> TwilioStatus(Random r, int i) =>
    [
        new("MessageSid", $"SMfuzzout{i:D23}"), new("AccountSid", HotlineHost.AccountSid), new("MessageStatus", Pick(r, "delivered", "failed", "undelivered", "sent", "read", Word(r))),
        new("ErrorCode", Pick(r, "", "30003", "63016", "-1", "99999999999", "abc", Number(r))), new("To", "+6281277000001"),
    ];

    private static JsonObject MetaPayload(Random r, int i)
    {
        JsonNode Message(int k) => r.Next(6) switch
        {
            0 => new JsonObject { ["from"] = "6281277" + r.Next(100000, 999999), ["id"] = $"wamid.fuzz{i}.{k}", ["type"] = "location",
                ["location"] = new JsonObject { ["latitude"] = -7.45, ["longitude"] = 109.2, ["name"] = Text(r) } },
            1 => new JsonObject { ["from"] = "6281277" + r.Next(100000, 999999), ["id"] = $"wamid.fuzz{i}.{k}", ["type"] = "interactive",
                ["interactive"] = new JsonObject { ["type"] = "button_reply", ["button_reply"] = new JsonObject { ["id"] = "1", ["title"] = Text(r) } } },
            2 => new JsonObject { ["from"] = "6281277" + r.Next(100000, 999999), ["id"] = $"wamid.fuzz{i}.{k}", ["type"] = "image",
                ["image"] = new JsonObject { ["id"] = Word(r), ["caption"] = Text(r), ["mime_type"] = "image/jpeg" } },
            3 => new JsonObject { ["from_user_id"] = "ID." + r.Next(), ["id"] = $"wamid.fuzz{i}.{k}", ["type"] = "text", ["text"] = new JsonObject { ["body"] = Text(r) } },
            _ => new JsonObject { ["from"] = "6281277" + r.Next(100000, 999999), ["id"] = $"wamid.fuzz{i}.{k}", ["timestamp"] = "1700000000", ["type"] = "text",
                ["text"] = new JsonObject { ["body"] = Text(r) } },
        };
        var value = new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["metadata"] = new JsonObject { ["display_phone_number"] = "6281100000000", ["phone_number_id"] = "1234567890" },
            ["messages"] = new JsonArray([.. Enumerable.Range(0, r.Next(1, 4)).Select(Message)]),
        };
        if (r.Next(3) == 0)
            value["statuses"] = new JsonArray(new JsonObject
            {
                ["id"] = $"wamid.out{i}", ["status"] = Pick(r, "delivered", "failed", "read", "sent"),
                ["errors"] = new JsonArray(new JsonObject { ["code"] = 131047, ["title"] = "Re-engagement message" }),
            });
        return new JsonObject
        {
            ["object"] = "whatsapp_business_account",
            ["entry"] = new JsonArray(new JsonObject { ["id"] = "1", ["changes"] = new JsonArray(new JsonObject { ["field"] = "messages", ["value"] = value }) }),
        };
    }

    private static JsonObject AndroidPayload(Random r, int i)
    {
        var kind = Pick(r, "sms:received", "sms:received", "sms:sent", "sms:delivered", "sms:failed", "system:ping", Word(r));
        JsonObject payload = kind == "sms:received"
            ? new() { ["messageId"] = "m" + i, ["message"] = Text(r), ["sender"] = Pick(r, "+6281277", "0812", "TELKOMSEL", "3636", "") + r.Next(1000, 99999), ["receivedAt"] = "2026-11-23T09:00:00.000+07:00" }
            : new() { ["messageId"] = Pick(r, "hb", "hb-", "", "x") + r.Next(), ["phoneNumber"] = "+6281277000001", ["reason"] = Text(r) };
        return new JsonObject { ["deviceId"] = "ffffffffceb0b1db", ["event"] = kind, ["id"] = $"fuzz-{i}", ["payload"] = payload, ["webhookId"] = "w" };
    }

    /// <summary>1–3 structural mutations of the document, then maybe one at the byte level.</summary>
    private static byte[] Json(Random r, JsonNode root)
    {
        for (var n = r.Next(0, 4); n > 0; n--) root = MutateTree(r, root);
        var bytes = Encoding.UTF8.GetBytes(root?.ToJsonString() ?? "null");
        return r.Next(3) == 0 ? MutateBytes(r, bytes, json: true) : bytes;
    }

    private static JsonNode MutateTree(Random r, JsonNode root)
    {
        var all = new List<JsonNode>();
        void Walk(JsonNode? node)
        {
            if (node is null) return;
            all.Add(node);
            if (node is JsonObject o) foreach (var (_, child) in o) Walk(child);
            if (node is JsonArray a) foreach (var child in a) Walk(child);
        }
        Walk(root);
        var target = all[r.Next(all.Count)];
        if (target == root) return r.Next(3) == 0 ? new JsonArray(root) : root;      // the root wrapped in a list
        var parent = target.Parent!;
        switch (r.Next(4))
        {
            case 0:   // replaced by a value of another kind
                target.ReplaceWith<JsonNode?>(RandomValue(r, 0));
                break;
            case 1:   // removed
                if (parent is JsonObject po) po.Remove(target.GetPropertyName());
                else ((JsonArray)parent).Remove(target);
                break;
            case 2:   // a neighbour of any kind
                if (parent is JsonObject pa) pa[Pick(r, "id", "from", "type", "text", "location", "errors", "code", Word(r))] = RandomValue(r, 0);
                else ((JsonArray)parent).Add(RandomValue(r, 0));
                break;
            default:  // wrapped
                var copy = target.DeepClone();
                target.ReplaceWith<JsonNode>(r.Next(2) == 0 ? new JsonArray(copy) : new JsonObject { ["value"] = copy });
                break;
        }
        return root;
    }

    private static JsonNode? RandomValue(Random r, int depth) => r.Next(12) switch
    {
        0 => null,
        1 => JsonValue.Create(r.Next(int.MinValue, int.MaxValue)),
        2 => JsonValue.Create(r.NextDouble() * Math.Pow(10, r.Next(-300, 300))),
        3 => JsonValue.Create(long.MaxValue),
        4 => JsonValue.Create(r.Next(2) == 0),
        5 => JsonValue.Create(Text(r)),
        6 => JsonValue.Create(Pick(r, "NaN", "Infinity", "-1", "1e999", "")),
        7 => new JsonArray(),
        8 => new JsonObject(),
        9 when depth < 3 => new JsonArray(RandomValue(r, depth + 1), RandomValue(r, depth + 1)),
        10 when depth < 3 => new JsonObject { [Word(r)] = RandomValue(r, depth + 1), ["id"] = RandomValue(r, depth + 1) },
        _ => JsonValue.Create(Word(r)),
    };

    private static byte[] Form(Random r, List<KeyValuePair<string, string>> form)
    {
        for (var n = r.Next(0, 3); n > 0 && form.Count > 0; n--)
        {
            var k = r.Next(form.Count);
            switch (r.Next(4))
            {
                case 0: form[k] = new(form[k].Key, r.Next(2) == 0 ? Number(r) : Text(r)); break;
                case 1: form.RemoveAt(k); break;
                case 2: form.Add(new(form[k].Key, Text(r))); break;      // the key twice
                default: form.Add(new(Word(r), Text(r))); break;
            }
        }
        var encoded = string.Join('&', form.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        var bytes = Encoding.UTF8.GetBytes(encoded);
        return r.Next(3) == 0 ? MutateBytes(r, bytes, json: false) : bytes;
    }

    private static byte[] MutateBytes(Random r, byte[] bytes, bool json)
    {
        var at = bytes.Length == 0 ? 0 : r.Next(bytes.Length);
        byte[] Insert(params byte[] insert) => [.. bytes[..at], .. insert, .. bytes[at..]];
        return r.Next(9) switch
        {
            0 => bytes[..at],                                                              // truncated
            1 => Insert(0xFF, 0xFE, 0xC3),                                                 // invalid UTF-8
            2 => Insert(Encoding.ASCII.GetBytes(json ? "\\ud800" : "%ED%A0%80")),          // a lone surrogate
            3 => Insert(Encoding.ASCII.GetBytes(json ? "\\u0000\\u001b[31m" : "%00%1B%5B31m%0D%0A")),
            4 => Insert(Encoding.ASCII.GetBytes(json ? "1e999" : "%G1%%")),
            5 => Insert(Encoding.UTF8.GetBytes(new string(json ? '[' : 'a', r.Next(100, 2000)))),   // deep nesting, long words
            6 => [.. bytes, .. new byte[r.Next(60_000, 70_000)]],                          // around the size limit
            7 => Insert(0xEF, 0xBB, 0xBF),                                                 // a BOM in the middle
            _ => Encoding.UTF8.GetBytes(Text(r)),                                          // not the format at all
        };
    }

    private static readonly string[] Texts =
    [
        "halo", "sy mau lapor", "Budi Santoso", "3302014501900003", "33.02.01.450190.0003", "ds karangrau kec sokaraja", "1,3", "YA", "BATAL",
        "TERIMA 4821", "STATUS 4821", "😀👍🏽", "ꦲꦤꦕꦫꦏ", "<script>alert(1)</script>", "'; DROP TABLE messages; --", "\u202Eevil", "\0\u0007\u001b",
        "Tolong pak, tetangga sy sakit keras gk bs jalan", "NaN", "-1", "", " ", "\r\n",
    ];

    private static string Text(Random r) => r.Next(10) switch
    {
        0 => new string('x', r.Next(200, 2000)),
        1 => string.Concat(Enumerable.Range(0, r.Next(1, 6)).Select(_ => Texts[r.Next(Texts.Length)] + " ")),
        _ => Texts[r.Next(Texts.Length)],
    };

    private static string Number(Random r) =>
        Pick(r, "NaN", "Infinity", "-Infinity", "1e308", "-1e400", "0", "-0", "91", "-181", "99999999999999999999", "1,5", "0x10", "-7.45", "109.2");

    private static string Word(Random r) => Pick(r, "x", "id", "__proto__", "constructor", "a.b", "💥", "%s%n", "null") + r.Next(1000);

    private static T Pick<T>(Random r, params T[] items) => items[r.Next(items.Length)];
}
