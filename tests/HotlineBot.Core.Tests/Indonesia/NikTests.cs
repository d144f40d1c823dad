using HotlineBot.Core.Indonesia;

namespace HotlineBot.Core.Tests.Indonesia;

public sealed class NikTests
{
    private static readonly DateOnly Today = new(2026, 11, 23);

    public sealed record Vector(string Label, string Input, NikError Error, string? Birth = null, bool Female = false, bool Ambiguous = false)
    {
        public override string ToString() => Label;
    }

    // Published examples (python-stdnum's doctests, identique/idnumbers' tests, READMEs; each label names its source)
    // and our rules (DESIGN.md §5), checked with "today" = 2026-11-23.
    private static readonly Vector[] Vectors =
    [
        new("python-stdnum doctest, man", "3171011708450001", NikError.None, "1945-08-17"),
        new("same, woman (day + 40)", "3171015708450001", NikError.None, "1945-08-17", Female: true),
        new("nik-parser README", "3204110609970001", NikError.None, "1997-09-06"),
        new("CNN Indonesia example, woman", "3273056010900009", NikError.None, "1990-10-20", Female: true),
        new("dzakdzaks README, woman", "3276055708900002", NikError.None, "1990-08-17", Female: true),
        new("born 2003: 20YY when not in the future", "3578080102030001", NikError.None, "2003-02-01"),
        new("idnumbers valid", "7105100607610439", NikError.None, "1961-07-06"),
        new("leap day 2004", "7105102902040439", NikError.None, "2004-02-29"),
        new("legacy Papua code 9101", "9101011708450001", NikError.None, "1945-08-17"),
        new("legacy 9201", "9201011708450001", NikError.None, "1945-08-17"),
        new("Papua Selatan 93", "9301011708450001", NikError.None, "1945-08-17"),
        new("YY=25 is 2025 or 1925: ambiguous", "3171011708250001", NikError.None, "2025-08-17", Ambiguous: true),
        new("spaces as typed", "3273 0560 1090 0009", NikError.None, "1990-10-20", Female: true),
        new("dots and dashes as typed", "3273.0560-1090.0009", NikError.None, "1990-10-20", Female: true),
        new("letter O for zero", "3273O56O1O9OOOO9", NikError.None, "1990-10-20", Female: true),
        new("lower-case o for zero", "327305601090o009", NikError.None, "1990-10-20", Female: true),
        new("other letters are not digits", "3273O56O1O9OOOI9", NikError.NotDigits),
        new("29 Feb in 1902/2002", "7105102902020439", NikError.Date),
        new("province 09, an old-format number", "0950060607610439", NikError.Province),
        new("month 13", "7105101613610439", NikError.Date),
        new("serial 0000", "7105100607610000", NikError.Serial),
        new("day field 40", "3171014008450001", NikError.Date),
        new("day field 35", "3171013502001234", NikError.Date),
        new("day field 72", "3171017202001234", NikError.Date),
        new("15 digits (typing or Excel loss)", "317101170845000", NikError.Length),
        new("17 digits", "31710117084500011", NikError.Length),
        new("Excel scientific notation", "3.17101E+15", NikError.NotDigits),
        new("words", "tidak tahu", NikError.NotDigits),
        new("empty", "", NikError.Length),
        new("a very long digit string", new string('3', 64), NikError.Length),
    ];

    [TestCaseSource(nameof(Vectors))]
    public void Check_Vector_MatchesDomainTable(Vector v)
    {
        var check = Nik.Check(v.Input, Today);

        Assert.That(check.Error, Is.EqualTo(v.Error));
        if (v.Error != NikError.None) return;
        Assert.Multiple(() =>
        {
            Assert.That(check.Nik!.BirthDate, Is.EqualTo(DateOnly.Parse(v.Birth!, System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(check.Nik.Female, Is.EqualTo(v.Female));
            Assert.That(check.Nik.CenturyAmbiguous, Is.EqualTo(v.Ambiguous));
        });
    }

    [Test]
    public void Masked_ShowsFirstAndLastFour()
    {
        var nik = Nik.Check("3302011708450003", Today).Nik!;

        Assert.That(nik.Masked, Is.EqualTo("3302********0003"));
    }

    [Test]
    public void ToString_NeverPrintsTheDigits()
    {
        var nik = Nik.Check("3302011708450003", Today).Nik!;

        Assert.That(nik.ToString(), Does.Not.Contain("3302011708450003"));
        Assert.That($"{nik}", Is.EqualTo("3302********0003"));
    }

    [Test]
    public void Check_ProvinceCodes_AreExactlyThoseOfTheRegionData()
    {
        var accepted = Enumerable.Range(10, 90).Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Where(p => Nik.Check(p + "01011708450001", Today).Error != NikError.Province);

        Assert.That(accepted, Is.EquivalentTo(HotlineBot.Core.Indonesia.Regions.RegionIndex.Default.Provinces.Select(r => r.Code)));
    }
}
