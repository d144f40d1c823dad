namespace HotlineBot.Core.Dialogs.Inputs;

/// <summary><c>choice</c>: exactly one of the step's choices, by number or by word.</summary>
internal sealed class ChoiceInput : IInputType
{
    public string Name => "choice";

    public InputResult Parse(StepDefinition step, DialogInput input, InputContext context)
    {
        var choice = ChoiceMatcher.Match(step.Choices, TextNormalizer.Normalize(input.Text), context.Vocabulary);
        return choice is null
            ? InputResult.Fail("choice")
            : InputResult.Ok(new Answer(choice.Label.In(context.Language)) { Keys = [choice.Key] });
    }
}
