using HotlineBot.Core.Commands;

namespace HotlineBot.Core.Tests.Commands;

public sealed class StatusCodeTests
{
    public sealed record Case(string Text, StatusAction? Action, string? Code = null, string Argument = "")
    {
        public override string ToString() => Text.Length == 0 ? "(empty)" : Text;
    }

    // DESIGN.md §3: words and digits, code before or after, code optional, case-insensitive, spaces and # tolerated.
    private static readonly Case[] Cases =
    [
        new("TERIMA 4821", StatusAction.Accept, "4821"),
        new("terima 4821", StatusAction.Accept, "4821"),
        new("4821 TERIMA", StatusAction.Accept, "4821"),
        new("#4821 terima", StatusAction.Accept, "4821"),
        new("TERIMA #4821", StatusAction.Accept, "4821"),
        new("  Terima   4821  ", StatusAction.Accept, "4821"),
        new("1 4821", StatusAction.Accept, "4821"),
        new("4821 1", StatusAction.Accept, "4821"),
        new("TERIMA", StatusAction.Accept),
        new("1", StatusAction.Accept),
        new("TIBA 4821", StatusAction.Arrive, "4821"),
        new("2 4821", StatusAction.Arrive, "4821"),
        new("RUJUK 4821 RSUD Banyumas", StatusAction.Refer, "4821", "RSUD Banyumas"),
        new("4821 rujuk RSUD Margono", StatusAction.Refer, "4821", "RSUD Margono"),
        new("3 4821 Puskesmas Sokaraja", StatusAction.Refer, "4821", "Puskesmas Sokaraja"),
        new("RUJUK RSUD Banyumas", StatusAction.Refer, null, "RSUD Banyumas"),
        new("SELESAI 48215", StatusAction.Resolve, "48215"),
        new("4 4821", StatusAction.Resolve, "4821"),
        new("TOLAK 4821 sedang di luar kota", StatusAction.Decline, "4821", "sedang di luar kota"),
        new("0 4821", StatusAction.Decline, "4821"),
        new("INFO 4821", StatusAction.Info, "4821"),
        new("info", StatusAction.Info),
        new("halo", null),
        new("", null),
        new("2 ok siap", null),
        new("terima kasih banyak atas bantuannya pak", null),
        new("4821", null),
        new("Siti Aminah", null),
    ];

    [TestCaseSource(nameof(Cases))]
    public void Parse(Case c)
    {
        var parsed = StatusCode.Parse(c.Text);

        Assert.That(parsed?.Action, Is.EqualTo(c.Action));
        if (c.Action is null) return;
        Assert.That(parsed!.CaseCode, Is.EqualTo(c.Code));
        Assert.That(parsed.Argument, Is.EqualTo(c.Argument));
    }
}
