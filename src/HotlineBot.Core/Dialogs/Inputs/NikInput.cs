using HotlineBot.Core.Indonesia;

namespace HotlineBot.Core.Dialogs.Inputs;

/// <summary><c>nik</c>: a 16-digit NIK (separators and letter O tolerated). The answer carries only the protected NIK;
/// the digits never leave this method. "Don't know" answers are the step's <c>unknown</c> words, handled by the engine.</summary>
internal sealed class NikInput : IInputType
{
    public string Name => "nik";

    public InputResult Parse(StepDefinition step, DialogInput input, InputContext context)
    {
        var check = Nik.Check(input.Text, context.Today);
        // A NIK inside words ("KTP hilang, NIK-nya 3302 0145 0685 0003") is still the answer.
        if (check.Nik is null && NikRedactor.Find(input.Text) is { } run && NikRedactor.NiksIn(run, context.Today).FirstOrDefault() is { } found)
            check = NikCheck.Ok(found);
        if (check.Nik is not { } nik) return InputResult.Fail(ErrorKey(check.Error));
        // The province must exist; regency and kecamatan codes only warn: NIKs keep the code of first registration,
        // and regions are split and renumbered (DESIGN.md §5). Routing never uses the NIK.
        var regions = Indonesia.Regions.RegionIndex.Default;
        var known = regions.IsKnown(Indonesia.Regions.RegionIndex.Dotted(nik.Digits[..4])) && regions.IsKnown(Indonesia.Regions.RegionIndex.Dotted(nik.Digits[..6]));
        return InputResult.Ok(new Answer(nik.Masked) { Nik = context.NikProtector.Protect(nik), Flags = known ? [] : ["nik_region_unknown"] });
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
