using HotlineBot.Core.Indonesia;

namespace HotlineBot.Core.Dialogs.Inputs;

/// <summary>Finds the choice a folded token names: its menu number (<c>2</c>, <c>dua</c>), key, label or one of its words.</summary>
internal static class ChoiceMatcher
{
    public static ChoiceDefinition? Match(IReadOnlyList<ChoiceDefinition> choices, string token)
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
