using HotlineBot.Core.Indonesia;

namespace HotlineBot.Core.Dialogs.Inputs;

/// <summary>Finds the choice a folded token names: its menu number (<c>2</c>, <c>dua</c>), key, label or one of its
/// words; a choice keyed <c>yes</c> or <c>no</c> also by the shared vocabulary's yes and no (<c>ya betul</c>, 👍).</summary>
internal static class ChoiceMatcher
{
    public static ChoiceDefinition? Match(IReadOnlyList<ChoiceDefinition> choices, string token, Vocabulary? vocabulary = null)
    {
        var exact = Exact(choices, token);
        if (exact is not null || vocabulary is null) return exact;
        var yesNo = choices.Where(c => c.Key is Vocabulary.Yes or Vocabulary.No).ToList();
        if (yesNo.Count == 0) return null;
        var extra = yesNo.ToDictionary(c => c.Key, c => (IReadOnlyList<string>)c.Words);
        // The question's other answers undo a yes: "ya, ubah alamatnya" asks to change, it does not confirm.
        var others = choices.Where(c => c.Key is not (Vocabulary.Yes or Vocabulary.No))
            .SelectMany(c => c.Words.Append(c.Key).Concat(c.Label.Values.Select(TextNormalizer.Normalize)));
        return vocabulary.Classify(token, [Vocabulary.Yes, Vocabulary.No], extra, others) is { } meaning ? yesNo.Find(c => c.Key == meaning) : null;
    }

    private static ChoiceDefinition? Exact(IReadOnlyList<ChoiceDefinition> choices, string token)
    {
        if (NumberWords.Parse(token) is { } n)
            return n >= 1 && n <= choices.Count ? choices[n - 1] : null;
        foreach (var choice in choices)
        {
            if (string.Equals(choice.Key, token, StringComparison.OrdinalIgnoreCase)
                || choice.Words.Exists(w => string.Equals(w, token, StringComparison.OrdinalIgnoreCase))
                || choice.Label.Values.Any(l => string.Equals(TextNormalizer.Normalize(l), token, StringComparison.OrdinalIgnoreCase)))
                return choice;
        }
        return null;
    }
}
