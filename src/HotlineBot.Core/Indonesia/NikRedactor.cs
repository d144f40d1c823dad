using System.Globalization;
using System.Text;

namespace HotlineBot.Core.Indonesia;

/// <summary>
/// Masks anything in free text that could be a NIK, wherever a citizen typed it: a run of 16 or more digits, split or
/// not by white space of any kind (no-break space, newline, tab), dots, dashes, slashes or underscores (up to three in
/// a row), touching other digits or not (<c>48213302014506850003</c>), with the letter O typed for a zero between
/// digits. Every stored or shown text passes through <see cref="Redact"/>: message bodies, answers, case fields and
/// events, partner and officer messages, logs, exports. A run longer than a NIK is masked whole but its first and last
/// four digits, so no 16 digits of it survive.
/// </summary>
public static class NikRedactor
{
    public const int NikLength = 16;
    private const int MaxGap = 3;

    /// <summary>A run of digits that could hold a NIK: where it stands in the text and its digits (ASCII, O as 0).</summary>
    public readonly record struct Run(int Index, int Length, string Digits);

    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!MayHoldNik(text)) return text;
        var runs = Runs(text);
        if (runs.Count == 0) return text;
        var sb = new StringBuilder(text.Length);
        var at = 0;
        foreach (var run in runs)
        {
            sb.Append(text, at, run.Index - at).Append(Nik.Mask(run.Digits));
            at = run.Index + run.Length;
        }
        return sb.Append(text, at, text.Length - at).ToString();
    }

    /// <summary>The first NIK-shaped run in the text, or null.</summary>
    public static Run? Find(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return MayHoldNik(text) && Runs(text) is { Count: > 0 } runs ? runs[0] : null;
    }

    /// <summary>True when no NIK-shaped run is left in the text (what tests and scans assert).</summary>
    public static bool IsClean(string text) => Find(text) is null;

    /// <summary>The NIKs a run may hold: each 16 digits of it that pass <see cref="Nik.Check"/>, first first.</summary>
    public static IEnumerable<Nik> NiksIn(Run run, DateOnly today)
    {
        for (var i = 0; i + NikLength <= run.Digits.Length; i++)
            if (Nik.Check(run.Digits.Substring(i, NikLength), today).Nik is { } nik) yield return nik;
    }

    private static bool MayHoldNik(string text)
    {
        var digits = 0;
        foreach (var c in text)
            if ((char.IsDigit(c) || c is 'O' or 'o') && ++digits >= NikLength) return true;
        return false;
    }

    private static List<Run> Runs(string text)
    {
        var runs = new List<Run>();
        var i = 0;
        while (i < text.Length)
        {
            if (!char.IsDigit(text[i])) { i++; continue; }
            var start = i;
            var end = i;                       // one past the last digit of the run
            var digits = new StringBuilder();
            var j = i;
            while (j < text.Length)
            {
                if (DigitAt(text, j) is { } d) { digits.Append(d); j++; end = j; continue; }
                var gap = 0;
                while (j + gap < text.Length && gap <= MaxGap && IsSeparator(text[j + gap])) gap++;
                // A comma, colon or plus sign alone between digits splits a number too (3302,0145,...); with a space
                // after it, it separates two numbers (0812..., 0857...).
                if (gap == 0 && j + 1 < text.Length && text[j] is ',' or ':' or '+' && (char.IsDigit(text[j + 1]) || IsZeroLetter(text, j + 1))) gap = 1;
                if (gap == 0 || gap > MaxGap || j + gap >= text.Length || !(char.IsDigit(text[j + gap]) || IsZeroLetter(text, j + gap))) break;
                j += gap;
            }
            if (digits.Length >= NikLength) runs.Add(new Run(start, end - start, digits.ToString()));
            i = Math.Max(end, i + 1);
        }
        return runs;
    }

    /// <summary>A digit (any script, as ASCII), or O/o standing for zero inside a run of digits.</summary>
    private static char? DigitAt(string text, int i)
    {
        var c = text[i];
        if (char.IsDigit(c)) return (char)('0' + (int)CharUnicodeInfo.GetDecimalDigitValue(c));
        return IsZeroLetter(text, i) ? '0' : null;
    }

    /// <summary>Inside a run of digits: O or o, alone or several, not followed by another letter (<c>33O2</c>,
    /// <c>OO3</c>, <c>0-O</c>): zeros typed as letters. <c>Oke</c> is a word, not a zero.</summary>
    private static bool IsZeroLetter(string text, int i)
    {
        var j = i;
        while (j < text.Length && text[j] is 'O' or 'o') j++;
        return j > i && (j == text.Length || !char.IsLetter(text[j]));
    }

    private static bool IsSeparator(char c) => char.IsWhiteSpace(c) || c is '.' or '-' or '/' or '\\' or '_' or '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u00B7';
}
