using System.Collections.Frozen;
using System.Text;

namespace HotlineBot.Core.Indonesia;

/// <summary>
/// Folds how people text into one comparable form before words are matched: lower case, single spaces, no trailing
/// punctuation, elongations shortened (<c>tolooong</c> → <c>tolong</c>) and common SMS shorthand expanded
/// (<c>tdk tau</c> → <c>tidak tahu</c>). Used for matching only; what people wrote is stored as they wrote it.
/// Address abbreviations (<c>Gg.</c>, <c>Kel.</c>) mean other things and are not touched here (DESIGN.md §5).
/// </summary>
public static class SmsShorthand
{
    // Entries checked against the Colloquial Indonesian Lexicon (nasalsabila/kamus-alay, doi:10.1109/IALP.2018.8629151;
    // no licence, so not shipped); DESIGN.md §5.
    private static readonly FrozenDictionary<string, string> Words = new Dictionary<string, string>
    {
        ["yg"] = "yang", ["sy"] = "saya", ["sya"] = "saya", ["tdk"] = "tidak", ["tak"] = "tidak", ["dgn"] = "dengan",
        ["dg"] = "dengan", ["sdh"] = "sudah", ["udh"] = "sudah", ["udah"] = "sudah", ["blm"] = "belum", ["tlg"] = "tolong",
        ["krn"] = "karena", ["org"] = "orang", ["rmh"] = "rumah", ["skt"] = "sakit", ["bs"] = "bisa", ["utk"] = "untuk",
        ["tau"] = "tahu", ["tw"] = "tahu", ["gk"] = "gak", ["ga"] = "gak", ["nggak"] = "gak", ["enggak"] = "gak",
        ["engga"] = "gak", ["ngga"] = "gak", ["kagak"] = "gak", ["mhn"] = "mohon", ["jg"] = "juga", ["lg"] = "lagi",
        ["pd"] = "pada", ["sm"] = "sama", ["skrg"] = "sekarang", ["gmn"] = "bagaimana", ["dmn"] = "dimana",
        ["mksh"] = "terima kasih", ["trims"] = "terima kasih", ["makasih"] = "terima kasih", ["bpk"] = "bapak",
        ["pak"] = "bapak", ["bu"] = "ibu", ["rs"] = "rumah sakit", ["rsud"] = "rumah sakit", ["pkm"] = "puskesmas",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static string Fold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length);
        var trimmed = text.Trim();
        var stripped = trimmed.TrimEnd('.', '!', ',', '?');
        foreach (var token in (stripped.Length > 0 ? stripped : trimmed).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var word = Shorten(token.ToLowerInvariant());
            if (sb.Length > 0) sb.Append(' ');
            sb.Append(Words.TryGetValue(word, out var full) ? full : word);
        }
        return sb.ToString();
    }

    private static bool HasRun(string word)
    {
        for (var i = 2; i < word.Length; i++)
            if (word[i] == word[i - 1] && word[i] == word[i - 2] && char.IsLetter(word[i])) return true;
        return false;
    }

    /// <summary>Runs of three or more of one letter become one (<c>tolooong</c>); doubled letters stay (<c>saat</c>).</summary>
    private static string Shorten(string word)
    {
        if (word.Length < 3 || !HasRun(word)) return word;
        var sb = new StringBuilder(word.Length);
        for (var i = 0; i < word.Length; i++)
        {
            var run = 1;
            while (i + run < word.Length && word[i + run] == word[i]) run++;
            sb.Append(word[i], run >= 3 && char.IsLetter(word[i]) ? 1 : run);
            i += run - 1;
        }
        return sb.ToString();
    }
}
