using System.Text.Json;
using System.Text.Json.Serialization;
using HotlineBot.Core.Dialogs;

namespace HotlineBot.Storage;

/// <summary>Dialog state as stored in <c>conversations.state</c>; source-generated, no reflection per request.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(DialogSession))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class DialogJson : JsonSerializerContext
{
    /// <summary>For values officers read in the database (case details): <c>+62…</c>, not <c>\u002B62…</c>.</summary>
    public static DialogJson Readable { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static string Serialize(DialogSession session) => JsonSerializer.Serialize(session, Default.DialogSession);

    public static DialogSession? Deserialize(string json) => JsonSerializer.Deserialize(json, Default.DialogSession);
}
