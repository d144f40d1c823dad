using System.Globalization;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace HotlineBot.Core.Dialogs;

/// <summary>
/// The words every flow shares, from <c>conversation-flows/vocabulary.yaml</c>: what yes, no, "don't know" and a
/// greeting look like when people text them, and the global words and engine messages a flow gets unless it says its
/// own. One place, so "ya betul" means yes at every step that asks yes or no.
/// </summary>
public sealed class Vocabulary
{
    public const string FileName = "vocabulary.yaml";
    public const string Yes = "yes", No = "no", Unknown = "unknown", Greeting = "greeting";

    /// <summary>How many words may follow a phrase and still leave its meaning (<c>lupa NIK-nya</c>, <c>ya betul pak</c>).</summary>
    public const int TrailingWords = 3;

    public int Version { get; set; }
    /// <summary>Phrases by meaning: <c>yes</c>, <c>no</c>, <c>unknown</c>, <c>greeting</c>; and <c>but</c>, words that
    /// undo a phrase before them (<c>ya tapi alamatnya salah</c> is not yes).</summary>
    public Dictionary<string, List<string>> Words { get; set; } = [];
    /// <summary>Global words by command, used by a flow that does not list that command itself.</summary>
    public Dictionary<string, List<string>> Commands { get; set; } = [];
    /// <summary>Engine messages, used by a flow that does not write that message itself.</summary>
    public Dictionary<string, Texts> Messages { get; set; } = [];

    public static Vocabulary Empty { get; } = new() { Version = 1 };

    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    /// <summary>Reads the shared vocabulary; errors name the file and line.</summary>
    public static Vocabulary Load(string yaml, string sourceFile)
    {
        Vocabulary vocabulary;
        try { vocabulary = Deserializer.Deserialize<Vocabulary>(yaml) ?? throw new FlowException($"{sourceFile}:1: the file is empty."); }
        catch (YamlException e) { throw new FlowException($"{sourceFile}:{e.Start.Line}: {e.InnerException?.Message ?? e.Message}"); }
        if (vocabulary.Version != 1) throw new FlowException($"{sourceFile}:1: version must be 1, found {vocabulary.Version}");
        foreach (var meaning in vocabulary.Words.Keys)
            if (meaning is not (Yes or No or Unknown or Greeting or "but"))
                throw new FlowException($"{sourceFile}:1: unknown word list '{meaning}' (one of: yes, no, unknown, greeting, but)");
        foreach (var key in vocabulary.Words.Keys.ToList()) vocabulary.Words[key] = Folded(vocabulary.Words[key]);
        foreach (var key in vocabulary.Commands.Keys.ToList()) vocabulary.Commands[key] = Folded(vocabulary.Commands[key]);
        return vocabulary;
    }

    public IReadOnlyList<string> Of(string meaning) => Words.TryGetValue(meaning, out var words) ? words : [];

    /// <summary>Which of <paramref name="meanings"/> a folded answer has: a phrase of that meaning, alone or followed by
    /// at most <see cref="TrailingWords"/> words none of which belongs to another of the meanings or to <c>but</c>.
    /// The longest phrase wins (<c>tidak tahu</c> over <c>tidak</c>). <paramref name="extra"/> adds a step's own
    /// phrases to a meaning; <paramref name="blocking"/> are further words that undo a phrase (the other answers of the
    /// question: "ya, ubah alamatnya" is not yes); a trailing word with a digit undoes it too (a NIK after "lupa").
    /// Null when the answer is none of them.</summary>
    public string? Classify(string folded, IReadOnlyList<string> meanings, IReadOnlyDictionary<string, IReadOnlyList<string>>? extra = null,
        IEnumerable<string>? blocking = null, int trailing = TrailingWords)
    {
        ArgumentNullException.ThrowIfNull(folded);
        ArgumentNullException.ThrowIfNull(meanings);
        var tokens = Tokens(folded);
        if (tokens.Count == 0) return null;
        IEnumerable<string> PhrasesOf(string meaning) =>
            extra is not null && extra.TryGetValue(meaning, out var more) ? Of(meaning).Concat(more) : Of(meaning);

        string? best = null;
        var bestLength = 0;
        foreach (var meaning in meanings)
            foreach (var phrase in PhrasesOf(meaning))
            {
                var words = PhraseTokens(phrase);
                if (words.Count > bestLength && StartsWith(tokens, words)) (best, bestLength) = (meaning, words.Count);
            }
        if (best is null || tokens.Count - bestLength > trailing) return null;
        var rest = tokens.Skip(bestLength).ToList();
        if (rest.Count == 0) return best;
        if (rest.Exists(t => t.Any(char.IsDigit))) return null;
        var others = meanings.Where(m => m != best).SelectMany(PhrasesOf).Concat(Of("but")).Concat(blocking ?? [])
            .Select(PhraseTokens).Where(o => o.Count > 0).ToList();
        for (var i = 0; i < rest.Count; i++)
            if (others.Exists(o => StartsWith(rest.Skip(i).ToList(), o))) return null;
        return best;
    }

    // The words of the flows' and the vocabulary's phrases: a bounded set, split once rather than on every message.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, List<string>> Phrases = new(StringComparer.Ordinal);

    /// <summary><see cref="Tokens"/> of a phrase from a flow or the vocabulary, remembered.</summary>
    public static List<string> PhraseTokens(string phrase) => Phrases.GetOrAdd(phrase, Tokens);

    private static bool StartsWith(List<string> tokens, List<string> phrase)
    {
        if (phrase.Count == 0 || phrase.Count > tokens.Count) return false;
        for (var i = 0; i < phrase.Count; i++)
            if (!string.Equals(tokens[i], phrase[i], StringComparison.Ordinal)) return false;
        return true;
    }

    /// <summary>Words of a folded text, doubled letters squeezed, with each emoji a word of its own, skin tones and variation selectors dropped
    /// (<c>ok👍🏽</c> → <c>ok</c>, <c>👍</c>) and punctuation around words dropped.</summary>
    public static List<string> Tokens(string folded)
    {
        ArgumentNullException.ThrowIfNull(folded);
        var sb = new StringBuilder(folded.Length + 8);
        var e = StringInfo.GetTextElementEnumerator(folded);
        while (e.MoveNext())
        {
            var element = (string)e.Current;
            var rune = Rune.GetRuneAt(element, 0);
            if (IsEmoji(rune))
            {
                sb.Append(' ');
                foreach (var r in element.EnumerateRunes())
                    if (!IsModifier(r)) sb.Append(r.ToString());
                sb.Append(' ');
            }
            else if (element.Length == 1 && (char.IsWhiteSpace(element[0]) || element[0] is ',' or '!' or '?' or ';' or ':' or '(' or ')' or '"'))
                sb.Append(' ');
            else sb.Append(element);
        }
        // Shorthand is expanded again once punctuation is off a word ("tau," → "tahu").
        return sb.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(t => t.Trim('.', '-', '\''))
            .Where(t => t.Length > 0).SelectMany(t => TextNormalizer.Normalize(t).Split(' ')).Select(Squeeze).ToList();
    }

    /// <summary>A doubled letter as one (<c>iyaa</c>, <c>okee</c>, <c>siipp</c>): phrases and answers are squeezed alike.</summary>
    private static string Squeeze(string token)
    {
        var sb = new StringBuilder(token.Length);
        foreach (var c in token)
            if (sb.Length == 0 || sb[^1] != c || !char.IsLetter(c)) sb.Append(c);
        return sb.ToString();
    }

    private static bool IsEmoji(Rune rune) =>
        rune.Value >= 0x1F000 || rune.Value is >= 0x2600 and <= 0x27BF || Rune.GetUnicodeCategory(rune) == UnicodeCategory.OtherSymbol;

    private static bool IsModifier(Rune rune) => rune.Value is >= 0x1F3FB and <= 0x1F3FF or 0xFE0F or 0x200D;

    private static List<string> Folded(List<string> words) =>
        words.Select(TextNormalizer.Normalize).Where(w => w.Length > 0).Distinct(StringComparer.Ordinal).ToList();
}
