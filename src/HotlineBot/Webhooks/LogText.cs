namespace HotlineBot.Webhooks;

/// <summary>A value a sender controls, made safe to log: control characters (new lines that forge log entries, escape
/// sequences for a terminal), line separators, bidi and other format characters (but the emoji joiner) become spaces,
/// and it is cut to a length a log line can carry.</summary>
public static class LogText
{
    public const int MaxLength = 120;

    public static string Clean(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        var cut = value.Length > MaxLength ? value[..MaxLength] + "…" : value;
        return string.Create(cut.Length, cut, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                var lone = char.IsSurrogate(c) && !char.IsSurrogatePair(source, i) && !(i > 0 && char.IsSurrogatePair(source, i - 1));
                // Control characters, line and paragraph separators, and format characters (bidi overrides such as
                // U+202E that make a log line read differently from what it holds).
                var category = char.GetUnicodeCategory(c);
                span[i] = lone || category is System.Globalization.UnicodeCategory.Control or System.Globalization.UnicodeCategory.LineSeparator
                    or System.Globalization.UnicodeCategory.ParagraphSeparator
                    || category == System.Globalization.UnicodeCategory.Format && c != '\u200D' ? ' ' : c;
            }
        });
    }
}
