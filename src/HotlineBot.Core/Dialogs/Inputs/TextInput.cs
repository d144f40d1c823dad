namespace HotlineBot.Core.Dialogs.Inputs;

/// <summary><c>text</c>: free text within <c>min_length</c>..<c>max_length</c> characters, with letters in it, or
/// matching the step's <c>pattern</c> when it has one.</summary>
internal sealed class TextInput : IInputType
{
    public string Name => "text";

    public InputResult Parse(StepDefinition step, DialogInput input, InputContext context)
    {
        var text = TextNormalizer.CollapseSpaces(input.Text);
        if (text.Length < (step.MinLength ?? 2)) return InputResult.Fail("too_short");
        if (text.Length > (step.MaxLength ?? 160)) return InputResult.Fail("too_long");
        if (step.PatternRegex is { } pattern)
            return pattern.IsMatch(text) ? InputResult.Ok(new Answer(text)) : InputResult.Fail("pattern");
        if (!text.Any(char.IsLetter)) return InputResult.Fail("no_letters");
        return InputResult.Ok(new Answer(text));
    }
}
