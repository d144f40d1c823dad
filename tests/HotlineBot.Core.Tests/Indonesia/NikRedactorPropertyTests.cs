using System.Text;
using HotlineBot.Core.Indonesia;

namespace HotlineBot.Core.Tests.Indonesia;

/// <summary>Generated texts with NIKs hidden the ways people type them: whatever the text, no NIK's 16 digits survive
/// redaction, and a text without 16 digits in a run is left exactly as it was.</summary>
public sealed class NikRedactorPropertyTests
{
    private const int Texts = 10_000;
    private static readonly string[] Words = ["Siti", "Aminah", "ds", "karangrau", "rt", "2/3", "kec", "sokaraja", "nik", "nya", "ibu", "hp", "ya", "kode", "4821", "RUJUK", "👍", "-", ":", "\n"];
    private static readonly string[] Separators = ["", " ", "  ", ".", "-", "/", "\u00A0", "\n", "\r\n", "\t", " - ", "\u202F", "_", "\u2013", ",", ":"];

    private static string RandomNik(Random random)
    {
        var sb = new StringBuilder(16);
        sb.Append("3302").Append(random.Next(1, 28).ToString("D2", System.Globalization.CultureInfo.InvariantCulture));
        sb.Append((random.Next(1, 29) + (random.Next(2) * 40)).ToString("D2", System.Globalization.CultureInfo.InvariantCulture));
        sb.Append(random.Next(1, 13).ToString("D2", System.Globalization.CultureInfo.InvariantCulture)).Append(random.Next(0, 100).ToString("D2", System.Globalization.CultureInfo.InvariantCulture));
        sb.Append(random.Next(1, 10000).ToString("D4", System.Globalization.CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    /// <summary>The NIK split into groups of random size, joined by one separator (as a person keeps one style), maybe
    /// with O for some zeros, maybe glued to other digits.</summary>
    private static string Typed(string nik, Random random)
    {
        var separator = Separators[random.Next(Separators.Length)];
        var sb = new StringBuilder();
        for (var i = 0; i < nik.Length;)
        {
            var group = Math.Min(random.Next(1, 7), nik.Length - i);
            if (i > 0) sb.Append(separator);
            foreach (var c in nik.AsSpan(i, group)) sb.Append(c == '0' && random.Next(8) == 0 && i > 0 ? 'O' : c);
            i += group;
        }
        var typed = sb.ToString();
        return random.Next(4) switch
        {
            0 => random.Next(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture) + typed,   // after a case code
            1 => typed + random.Next(0, 99).ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => typed,
        };
    }

    private static string Around(Random random, string middle)
    {
        var sb = new StringBuilder();
        for (var i = random.Next(0, 5); i > 0; i--) sb.Append(Words[random.Next(Words.Length)]).Append(' ');
        sb.Append(middle);
        for (var i = random.Next(0, 5); i > 0; i--) sb.Append(' ').Append(Words[random.Next(Words.Length)]);
        return sb.ToString();
    }

    private static string DigitsOf(string text) => new(text.Select(c => c is 'O' or 'o' ? '0' : c).Where(char.IsAsciiDigit).ToArray());

    [Test]
    public void Redact_GeneratedTextsWithHiddenNiks_LeavesNoNik()
    {
        var random = new Random(20261202);
        for (var n = 0; n < Texts; n++)
        {
            var nik = RandomNik(random);
            var text = Around(random, Typed(nik, random));
            var redacted = NikRedactor.Redact(text);

            Assert.That(DigitsOf(redacted), Does.Not.Contain(nik), $"text {n}: {text.ReplaceLineEndings("⏎")} → {redacted.ReplaceLineEndings("⏎")}");
            Assert.That(NikRedactor.IsClean(redacted), Is.True, $"text {n}: {redacted.ReplaceLineEndings("⏎")}");
            Assert.That(NikRedactor.Redact(redacted), Is.EqualTo(redacted), "redaction is idempotent");
        }
    }

    [Test]
    public void Redact_GeneratedTextsWithoutSixteenDigitsInARun_AreUntouched()
    {
        var random = new Random(7);
        for (var n = 0; n < Texts; n++)
        {
            // Phone numbers, dates, RT/RW and case codes: digits, but never 16 in one run.
            var phone = "08" + random.NextInt64(100_000_000, 9_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var text = Around(random, $"hp {phone}, tgl {random.Next(1, 29)}-{random.Next(1, 13)}-2026, RT {random.Next(1, 20)}/{random.Next(1, 20)}");

            Assert.That(NikRedactor.Redact(text), Is.EqualTo(text), $"text {n}");
        }
    }
}
