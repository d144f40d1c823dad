using System.Text.Json;

namespace HotlineBot.Channels;

/// <summary>
/// Reading a provider's JSON as untrusted data: every accessor checks the kind of what it finds and answers null for
/// anything else (a number where an object was due, a string longitude, an array root), so a parser written with these
/// never throws on shape. What is left — text that is not valid UTF-8, or a lone surrogate escape — throws on reading;
/// <see cref="IsMalformed"/> tells those faults apart, so one bad item of a batch is skipped and the rest are processed.
/// </summary>
public static class UntrustedJson
{
    public static JsonElement? Child(JsonElement e, string name) =>
        Property(e, name) is { ValueKind: JsonValueKind.Object } v ? v : null;

    public static IEnumerable<JsonElement> Items(JsonElement e, string name) =>
        Property(e, name) is { ValueKind: JsonValueKind.Array } v ? v.EnumerateArray() : [];

    public static string? Text(JsonElement e, string name) =>
        Property(e, name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;

    /// <summary>A finite number (JSON has no NaN, but a number can overflow a double to infinity).</summary>
    public static double? Number(JsonElement e, string name) =>
        Property(e, name) is { ValueKind: JsonValueKind.Number } v && v.TryGetDouble(out var d) && double.IsFinite(d) ? d : null;

    public static int? WholeNumber(JsonElement e, string name) =>
        Property(e, name) is { ValueKind: JsonValueKind.Number } v && v.TryGetInt32(out var n) ? n : null;

    private static JsonElement? Property(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v : null;

    /// <summary>The faults reading an untrusted document can raise: text that is not valid UTF-8 or UTF-16
    /// (<see cref="InvalidOperationException"/> from <c>GetString</c>), or a malformed document. Anything else a parser
    /// throws is a bug, and is not hidden as bad input.</summary>
    public static bool IsMalformed(Exception e) => e is InvalidOperationException or JsonException or FormatException or System.Text.DecoderFallbackException;
}
