namespace HotlineBot.Webhooks;

/// <summary>A value a sender controls, made safe to log: control characters (new lines that forge log entries, escape
/// sequences for a terminal) become spaces, and it is cut to a length a log line can carry.</summary>
public static class LogText
{
    public const int MaxLength = 120;

    public static string Clean(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        var cut = value.Length > MaxLength ? value[..MaxLength] + "…" : value;
        return string.Create(cut.Length, cut, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++) span[i] = char.IsControl(source[i]) || char.IsSurrogate(source[i]) && !char.IsSurrogatePair(source, i) && !(i > 0 && char.IsSurrogatePair(source, i - 1)) ? ' ' : source[i];
        });
    }
}
