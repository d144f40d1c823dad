using PhoneNumbers;

namespace HotlineBot.Core.Indonesia;

/// <summary>Indonesian phone numbers to E.164 with libphonenumber (DESIGN.md §5): <c>0812…</c>, <c>62812…</c>,
/// <c>+62 812…</c> → <c>+62812…</c>.</summary>
public static partial class IndonesianPhone
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>The E.164 form, or null when the text is not a possible phone number.</summary>
    public static string? ToE164(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.Trim();
        var at = s.IndexOf('@', StringComparison.Ordinal);         // WhatsApp JIDs: 6281…@c.us
        if (at >= 0) s = s[..at];
        if (IsE164(s)) return s;                                    // providers already send E.164: skip the parser
        if (s.Any(char.IsAsciiLetter)) return null;                 // WhatsApp usernames' ids (ID.4566…) have digits too
        var compact = new string(s.Where(c => char.IsAsciiDigit(c) || c == '+').ToArray());
        if (compact.StartsWith("0062", StringComparison.Ordinal)) compact = "+" + compact[2..];   // libphonenumber misreads 0062
        else if (compact.StartsWith("62", StringComparison.Ordinal)) compact = "+" + compact;
        try
        {
            var number = Util.Parse(compact, "ID");
            return Util.IsPossibleNumber(number) ? Util.Format(number, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    /// <summary>The first valid phone number written anywhere in <paramref name="text"/>, as E.164, or null. A 16-digit
    /// NIK in the same text is not mistaken for one (libphonenumber's VALID leniency).</summary>
    public static string? Find(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var prepared = text.Replace("@c.us", "", StringComparison.OrdinalIgnoreCase);
        prepared = InternationalPrefix().Replace(prepared, "+62");   // libphonenumber misreads 0062…
        prepared = BareCountryCode().Replace(prepared, "+62");       // 62812… without the +
        foreach (var match in Util.FindNumbers(prepared, "ID", PhoneNumberUtil.Leniency.VALID, long.MaxValue))
            return Util.Format(match.Number, PhoneNumberFormat.E164);
        return null;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<![\d+])0062(?=\d)")]
    private static partial System.Text.RegularExpressions.Regex InternationalPrefix();

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<![\d+])62(?=8\d{7,11}(?!\d))")]
    private static partial System.Text.RegularExpressions.Regex BareCountryCode();

    private static bool IsE164(string s) =>
        s.Length is >= 9 and <= 16 && s[0] == '+' && s[1] != '0' && s.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0;
}
