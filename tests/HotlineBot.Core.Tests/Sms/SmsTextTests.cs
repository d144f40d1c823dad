using HotlineBot.Core.Sms;

namespace HotlineBot.Core.Tests.Sms;

public sealed class SmsTextTests
{
    [TestCase("Ketik \u201cYA\u201d", "Ketik \"YA\"")]
    [TestCase("Jum\u2019at", "Jum'at")]
    [TestCase("08.00\u201310.00", "08.00-10.00")]
    [TestCase("tunggu\u2026", "tunggu...")]
    [TestCase("Rp\u00a010.000", "Rp 10.000")]
    [TestCase("a\u200bb", "ab")]
    [TestCase("\u2022 makanan", "- makanan")]
    [TestCase("biasa saja", "biasa saja")]
    [TestCase("Budi \U0001F60A", "Budi \U0001F60A")]
    public void Sanitize(string input, string expected) => Assert.That(SmsText.Sanitize(input), Is.EqualTo(expected));

    [Test]
    public void Sanitize_KeepsA150CharacterTextWithAnEnDashInOneSegment()
    {
        var text = new string('a', 150) + " \u2013 ok";

        Assert.That(SmsSegments.Count(text), Is.EqualTo(3));
        Assert.That(SmsSegments.Count(SmsText.Sanitize(text)), Is.EqualTo(1));
    }
}
