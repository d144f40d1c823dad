using System.Collections.Frozen;
using System.Globalization;

namespace HotlineBot.Core.Indonesia;

/// <summary>Small numbers as people text them: digits, Indonesian words (<c>dua</c>, <c>kosong</c> = 0) and English.</summary>
public static class NumberWords
{
    private static readonly FrozenDictionary<string, int> Words = new Dictionary<string, int>
    {
        ["nol"] = 0, ["kosong"] = 0, ["satu"] = 1, ["dua"] = 2, ["tiga"] = 3, ["empat"] = 4, ["lima"] = 5, ["enam"] = 6,
        ["tujuh"] = 7, ["delapan"] = 8, ["sembilan"] = 9, ["sepuluh"] = 10, ["sebelas"] = 11, ["dua belas"] = 12,
        ["zero"] = 0, ["one"] = 1, ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6, ["seven"] = 7,
        ["eight"] = 8, ["nine"] = 9, ["ten"] = 10,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The number a folded token or phrase names, or null.</summary>
    public static int? Parse(string folded)
    {
        ArgumentNullException.ThrowIfNull(folded);
        if (int.TryParse(folded, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return n;
        return Words.TryGetValue(folded, out var w) ? w : null;
    }
}
