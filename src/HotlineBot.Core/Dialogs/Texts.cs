namespace HotlineBot.Core.Dialogs;

/// <summary>One text in every language of the flow, keyed by language code (<c>id</c>, <c>en</c>).</summary>
public sealed class Texts : Dictionary<string, string>
{
    public const string DefaultLanguage = "id";

    public Texts() : base(StringComparer.OrdinalIgnoreCase) { }

    public string In(string language) =>
        TryGetValue(language, out var text) ? text : TryGetValue(DefaultLanguage, out var fallback) ? fallback : "";
}
