using System.Collections.Frozen;

namespace HotlineBot.Core.Indonesia;

/// <summary>Yes and no as people text them: Indonesian, English, SMS forms, Javanese and Sundanese (DOMAIN.md §4.3).
/// Matched on the folded form (<see cref="SmsShorthand.Fold"/>), so <c>tdk</c>, <c>gk</c> and <c>nggak</c> are covered.</summary>
public static class YesNo
{
    private static readonly FrozenSet<string> Yes = FrozenSet.ToFrozenSet(
    [
        "ya", "iya", "iy", "y", "yes", "yoi", "ok", "oke", "okey", "okay", "sip", "betul", "benar", "bener", "setuju",
        "boleh", "siap", "nggih", "inggih", "muhun", "leres", "ya benar", "iya benar", "ya betul", "yup", "yap",
    ], StringComparer.Ordinal);

    private static readonly FrozenSet<string> No = FrozenSet.ToFrozenSet(
    [
        "tidak", "gak", "ndak", "nda", "enggak", "bukan", "no", "nope", "n", "ora", "mboten", "boten", "teu", "henteu",
        "jangan", "tidak ada", "gak ada", "salah", "tidak benar",
    ], StringComparer.Ordinal);

    /// <summary>True for yes, false for no, null when the folded text is neither.</summary>
    public static bool? Parse(string folded) =>
        Yes.Contains(folded) ? true : No.Contains(folded) ? false : null;
}
