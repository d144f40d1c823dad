using HotlineBot.Core.Indonesia;

namespace HotlineBot.Core.Dialogs.Inputs;

/// <summary><c>yes_no</c>: answer key <c>yes</c> or <c>no</c>, in any of the forms <see cref="YesNo"/> knows;
/// a step's own <c>choices</c> (keys <c>yes</c>/<c>no</c>) may add words.</summary>
internal sealed class YesNoInput : IInputType
{
    public string Name => "yes_no";

    public InputResult Parse(StepDefinition step, DialogInput input, InputContext context)
    {
        var folded = TextNormalizer.Normalize(input.Text);
        var answer = YesNo.Parse(folded) ?? ChoiceMatcher.Match(step.Choices, folded)?.Key switch
        {
            "yes" => true,
            "no" => false,
            _ => (bool?)null,
        };
        if (answer is not { } yes) return InputResult.Fail("yes_no");
        var key = yes ? "yes" : "no";
        var label = step.Choices.Find(c => c.Key == key)?.Label.In(context.Language) ?? (yes ? "ya" : "tidak");
        return InputResult.Ok(new Answer(label) { Keys = [key] });
    }
}
