using System.Globalization;

namespace HotlineBot.Core.Dialogs.Inputs;

/// <summary><c>address</c>: free text, resolved to a kecamatan (and village) when the office's region data knows it —
/// several candidates are offered as a numbered choice, none flags the case for the officer — or a WhatsApp location
/// (kept as a position for routing by distance).</summary>
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
        var typed = Indonesia.NikRedactor.Redact(text);
        if (context.Addresses?.Resolve(text) is not { } resolved) return InputResult.Ok(new Answer(typed));
        if (resolved.Match is { } match) return InputResult.Ok(new Answer(typed) { Place = match });
        if (resolved.IsAmbiguous) return InputResult.Choose(resolved.Options.Select(o => new Answer(typed) { Place = o }).ToList());
        return InputResult.Ok(new Answer(typed) { Flags = ["address_unresolved"] });
    }
}
