using System.Globalization;
using System.Text.RegularExpressions;
using HotlineBot.Core.Indonesia;

namespace HotlineBot.Core.Dialogs.Inputs;

/// <summary><c>number</c>: a whole number, as digits (<c>3 orang</c>) or a word (<c>tiga</c>), within <c>min</c>..<c>max</c>.</summary>
internal sealed partial class NumberInput : IInputType
{
    public string Name => "number";

    [GeneratedRegex(@"(?<!\d)\d{1,9}(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex Digits();

    public InputResult Parse(StepDefinition step, DialogInput input, InputContext context)
    {
        var folded = TextNormalizer.Normalize(input.Text);
        var matches = Digits().Matches(folded);
        int? value = matches.Count == 1 ? int.Parse(matches[0].Value, CultureInfo.InvariantCulture) : null;
        value ??= matches.Count == 0 ? FromWords(folded.Split(' ')) : null;
        if (value is not { } n) return InputResult.Fail("number");
        if (n < (step.Min ?? 0) || n > (step.Max ?? int.MaxValue)) return InputResult.Fail("range");
        return InputResult.Ok(new Answer(n.ToString(CultureInfo.InvariantCulture)));
    }

    // Two-word numbers first (dua belas), then single words (tiga orang).
    private static int? FromWords(string[] tokens)
    {
        for (var i = 0; i + 1 < tokens.Length; i++)
            if (NumberWords.Parse(tokens[i] + " " + tokens[i + 1]) is { } pair) return pair;
        return tokens.Select(NumberWords.Parse).FirstOrDefault(n => n is not null);
    }
}
