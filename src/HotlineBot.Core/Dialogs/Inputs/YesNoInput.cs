namespace HotlineBot.Core.Dialogs.Inputs;

/// <summary><c>yes_no</c>: answer key <c>yes</c> or <c>no</c>, in any of the forms the shared vocabulary knows
/// (<c>vocabulary.yaml</c>: <c>ya betul</c>, <c>mboten</c>, 👍); a step's own <c>choices</c> (keys <c>yes</c>/<c>no</c>) may add words.</summary>
internal sealed class YesNoInput : IInputType
{
    public string Name => "yes_no";

    public InputResult Parse(StepDefinition step, DialogInput input, InputContext context)
    {
        var folded = TextNormalizer.Normalize(input.Text);
        var extra = step.Choices.Where(c => c.Key is Vocabulary.Yes or Vocabulary.No)
            .ToDictionary(c => c.Key, c => (IReadOnlyList<string>)c.Words);
        // "Don't know" is neither yes nor no ("gak tahu" is not "gak"): asked again, unless the step takes unknown answers.
        var answer = context.Vocabulary.Classify(folded, [Vocabulary.Yes, Vocabulary.No, Vocabulary.Unknown], extra) switch
        {
            Vocabulary.Yes => true,
            Vocabulary.No => false,
            _ => (bool?)null,
        };
        if (answer is not { } yes) return InputResult.Fail("yes_no");
        var key = yes ? "yes" : "no";
        var label = step.Choices.Find(c => c.Key == key)?.Label.In(context.Language) ?? (yes ? "ya" : "tidak");
        return InputResult.Ok(new Answer(label) { Keys = [key] });
    }
}
