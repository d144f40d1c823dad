namespace HotlineBot.Core.Dialogs.Inputs;

/// <summary><c>multi_choice</c>: one or more choices, e.g. <c>1,3</c>, <c>1 3</c>, <c>1 dan 3</c>, <c>ambulans, makan</c>.</summary>
internal sealed class MultiChoiceInput : IInputType
{
    private static readonly char[] Separators = [',', ';', ' ', '/', '&', '+', '.', '\n'];

    // Words around the picks that pick nothing: "makan sama bpjs", "butuh ambulans dan makanan".
    private static readonly HashSet<string> Filler =
        ["dan", "and", "sama", "juga", "atau", "or", "butuh", "perlu", "minta", "mohon", "tolong", "yang", "untuk", "nomor", "no", "ya", "bapak", "ibu", "pak", "please"];

    public string Name => "multi_choice";

    public InputResult Parse(StepDefinition step, DialogInput input, InputContext context)
    {
        var text = TextNormalizer.Normalize(input.Text);
        var whole = ChoiceMatcher.Match(step.Choices, text);
        var picked = new List<ChoiceDefinition>();
        if (whole is not null)
        {
            picked.Add(whole);
        }
        else
        {
            foreach (var token in text.Split(Separators, StringSplitOptions.RemoveEmptyEntries))
            {
                if (Filler.Contains(token)) continue;
                var choice = ChoiceMatcher.Match(step.Choices, token);
                if (choice is null) return InputResult.Fail("choice");
                if (!picked.Contains(choice)) picked.Add(choice);
            }
        }
        if (picked.Count == 0) return InputResult.Fail("choice");
        return InputResult.Ok(new Answer(string.Join(", ", picked.Select(c => c.Label.In(context.Language))))
        {
            Keys = picked.Select(c => c.Key).ToArray(),
        });
    }
}
