using System.Globalization;

namespace HotlineBot.Core.Cases;

/// <summary>
/// Case codes volunteers type on a keypad phone (<c>TERIMA 4821</c>): digits only, no leading zero (spreadsheets eat it),
/// short while the office is small. Each collision with an existing code makes the next candidate longer, so
/// codes stay unique without a central counter that would reveal how many reports an office gets.
/// </summary>
public static class CaseCode
{
    public const int MinLength = 4;
    public const int MaxLength = 8;

    /// <summary>A random candidate; attempts 0–2 give 4 digits, 3–5 give 5, and so on up to 8.</summary>
    public static string Candidate(Random random, int attempt)
    {
        ArgumentNullException.ThrowIfNull(random);
        var length = Math.Min(MinLength + attempt / 3, MaxLength);
        var low = (long)Math.Pow(10, length - 1);
        return random.NextInt64(low, low * 10).ToString(CultureInfo.InvariantCulture);
    }

    public static bool IsWellFormed(string code) =>
        code.Length is >= MinLength and <= MaxLength && code[0] != '0' && code.All(char.IsAsciiDigit);
}
