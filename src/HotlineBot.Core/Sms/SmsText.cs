using System.Text;

namespace HotlineBot.Core.Sms;

/// <summary>
/// Keeps an SMS in GSM-7 (DESIGN.md §3, "Provider facts"): the look-alikes that copy-paste brings in (smart quotes,
/// dashes, ellipsis, non-breaking and zero-width spaces, bullets) become their plain forms, so one stray character does
/// not turn a 160-character SMS into three. Other characters are left alone: a name in another script stays right.
/// </summary>
public static class SmsText
{
    private static readonly Dictionary<char, string> Plain = new()
    {
        ['\u2018'] = "'", ['\u2019'] = "'", ['\u201A'] = "'", ['\u201B'] = "'", ['\u2032'] = "'", ['`'] = "'",
        ['\u201C'] = "\"", ['\u201D'] = "\"", ['\u201E'] = "\"", ['\u2033'] = "\"",
        ['\u2010'] = "-", ['\u2011'] = "-", ['\u2012'] = "-", ['\u2013'] = "-", ['\u2014'] = "-", ['\u2015'] = "-", ['\u2212'] = "-", ['\uFF0D'] = "-",
        ['\u2026'] = "...", ['\u2022'] = "-", ['\u00B7'] = "-",
        ['\u00A0'] = " ", ['\u2007'] = " ", ['\u202F'] = " ", ['\t'] = " ",
        ['\u200B'] = "", ['\u200C'] = "", ['\u200D'] = "", ['\uFEFF'] = "",
    };

    public static string Sanitize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Any(Plain.ContainsKey)) return text;
        var sb = new StringBuilder(text.Length);
        foreach (var c in text) sb.Append(Plain.TryGetValue(c, out var plain) ? plain : c.ToString());
        return sb.ToString();
    }
}
