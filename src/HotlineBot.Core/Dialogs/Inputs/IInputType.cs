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

public sealed record InputContext(DateOnly Today, NikProtector NikProtector, string Language);

public readonly record struct InputResult(Answer? Answer, string? Error)
{
    public static InputResult Ok(Answer answer) => new(answer, null);
    public static InputResult Fail(string error) => new(null, error);
}
