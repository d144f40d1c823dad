using HotlineBot.Core.Indonesia;

namespace HotlineBot.Core.Dialogs.Inputs;

/// <summary>One <c>input:</c> type of the flow language. Parses what was typed into an answer or an error key
/// that selects the step's specific re-ask.</summary>
public interface IInputType
{
    string Name { get; }
    InputResult Parse(StepDefinition step, DialogInput input, InputContext context);
    /// <summary>What may be stored of the raw input (a NIK step stores only the masked form).</summary>
    string Redact(string text, InputResult result) => NikRedactor.Redact(text);
}

public sealed record InputContext(DateOnly Today, NikProtector NikProtector, string Language, Indonesia.Regions.AddressResolver? Addresses = null,
    Vocabulary? Words = null)
{
    /// <summary>The shared words (yes, no, don't know) of the flow being answered.</summary>
    public Vocabulary Vocabulary => Words ?? Vocabulary.Empty;
}

/// <summary>An answer, an error key, or — when the text fits several things (a village in two kecamatan) — the
/// answers to choose from, each with its <see cref="Answer.Display"/> as the option's label.</summary>
public readonly record struct InputResult(Answer? Answer, string? Error, IReadOnlyList<Answer>? Options = null)
{
    public static InputResult Ok(Answer answer) => new(answer, null);
    public static InputResult Fail(string error) => new(null, error);
    public static InputResult Choose(IReadOnlyList<Answer> options) => new(null, null, options);
}
