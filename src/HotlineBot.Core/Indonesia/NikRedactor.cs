using System.Text.RegularExpressions;

namespace HotlineBot.Core.Indonesia;

/// <summary>
/// Masks anything in free text that looks like a NIK (16 digits, separators allowed), wherever a citizen typed it.
/// Stored message bodies and log lines pass through here, so a NIK typed at the wrong step never lands in plain text.
/// </summary>
public static partial class NikRedactor
{
    [GeneratedRegex(@"(?<!\d)\d(?:[ .\-]?\d){15}(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex SixteenDigits();

    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return SixteenDigits().Replace(text, m =>
        {
            Span<char> digits = stackalloc char[16];
            var n = 0;
            foreach (var c in m.ValueSpan)
                if (char.IsAsciiDigit(c)) digits[n++] = c;
            return Nik.Mask(new string(digits));
        });
    }
}
