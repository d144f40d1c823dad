using HotlineBot.Core.Indonesia;

namespace HotlineBot.Core.Dialogs.Inputs;

/// <summary><c>nik</c>: a 16-digit NIK (separators tolerated), or one of the step's "don't know" words, which is
/// accepted and flagged. The answer carries only the protected NIK; the digits never leave this method.</summary>
internal sealed class NikInput : IInputType
{
    public string Name => "nik";

    public InputResult Parse(StepDefinition step, DialogInput input, InputContext context)
    {
        if (step.Unknown is { } unknown && unknown.Words.Contains(TextNormalizer.Normalize(input.Text), StringComparer.OrdinalIgnoreCase))
        {
            return InputResult.Ok(new Answer(unknown.Summary.In(context.Language))
            {
                Flags = unknown.Flag is null ? [] : [unknown.Flag],
            });
        }
        var check = Nik.Check(input.Text, context.Today);
        if (check.Nik is not { } nik) return InputResult.Fail(ErrorKey(check.Error));
        return InputResult.Ok(new Answer(nik.Masked) { Nik = context.NikProtector.Protect(nik) });
    }

    public string Redact(string text, InputResult result) =>
        result.Answer is { Nik: { } nik } ? nik.Masked
        : result.Answer is not null ? text
        : "[redacted]";

    private static string ErrorKey(NikError error) => error switch
    {
        NikError.Length => "length",
        NikError.NotDigits => "not_digits",
        NikError.Province => "province",
        NikError.Date => "date",
        NikError.Serial => "serial",
        _ => "invalid",
    };
}
