namespace HotlineBot.Core.Dialogs.Inputs;

/// <summary><c>address</c>: free text for now; resolving it to a kecamatan comes with the regions data.</summary>
internal sealed class AddressInput : IInputType
{
    public string Name => "address";

    public InputResult Parse(StepDefinition step, DialogInput input, InputContext context)
    {
        var text = TextNormalizer.CollapseSpaces(input.Text);
        if (text.Length < (step.MinLength ?? 5) || !text.Any(char.IsLetter)) return InputResult.Fail("too_short");
        if (text.Length > (step.MaxLength ?? 300)) return InputResult.Fail("too_long");
        return InputResult.Ok(new Answer(Indonesia.NikRedactor.Redact(text)));
    }
}
