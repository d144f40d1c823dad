using HotlineBot.Core.Indonesia;

namespace HotlineBot.Core.Dialogs;

/// <summary>How the engine compares what people type with the words of a flow file.</summary>
public static class TextNormalizer
{
    /// <summary>The matching form: see <see cref="SmsShorthand.Fold"/>. Flow words are folded the same way when loaded.</summary>
    public static string Normalize(string text) => SmsShorthand.Fold(text);

    /// <summary>Trims and folds runs of white space (including newlines) into single spaces, keeping case.</summary>
    public static string CollapseSpaces(string text) =>
        string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
