using System.Globalization;

namespace HotlineBot.Core.Dialogs.Inputs;

/// <summary><c>address</c>: free text, or a WhatsApp location (kept as a position for routing by distance).
/// Resolving typed text to a kecamatan comes with the regions data.</summary>
internal sealed class AddressInput : IInputType
{
    public string Name => "address";

    public InputResult Parse(StepDefinition step, DialogInput input, InputContext context)
    {
        if (input.Location is { } at)
        {
            var where = string.Create(CultureInfo.InvariantCulture, $"({at.Latitude:0.#####}, {at.Longitude:0.#####})");
            var label = input.LocationLabel is { Length: > 0 } l ? l : context.Language == "en" ? "WhatsApp location" : "Lokasi WhatsApp";
            return InputResult.Ok(new Answer($"{Indonesia.NikRedactor.Redact(label)} {where}") { Position = at });
        }
        var text = TextNormalizer.CollapseSpaces(input.Text);
        if (text.Length < (step.MinLength ?? 5) || !text.Any(char.IsLetter)) return InputResult.Fail("too_short");
        if (text.Length > (step.MaxLength ?? 300)) return InputResult.Fail("too_long");
        return InputResult.Ok(new Answer(Indonesia.NikRedactor.Redact(text)));
    }
}
