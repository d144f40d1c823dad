using HotlineBot.Core.Sms;

namespace HotlineBot.Core.Tests.Sms;

public sealed class SmsSegmentsTests
{
    // The vectors of Twilio's message-segment-calculator (TwilioDevEd/message-segment-calculator, tests/index.test.js).
    [TestCase(160, 1)]
    [TestCase(161, 2)]
    [TestCase(306, 2)]
    [TestCase(307, 3)]
    public void Count_Digits_IsGsm7(int length, int segments) => Assert.That(SmsSegments.Count(new string('1', length)), Is.EqualTo(segments));

    [Test]
    public void Count_EmojiAnd68Digits_IsOneUcs2Segment() =>
        Assert.That(SmsSegments.Count("\U0001F61C" + new string('1', 68)), Is.EqualTo(1));

    [Test]
    public void Count_EmojiAnd69Digits_IsTwoUcs2Segments() =>
        Assert.That(SmsSegments.Count("\U0001F61C" + new string('1', 69)), Is.EqualTo(2));

    [Test]
    public void Count_ExtensionCharacters_CostTwoSeptets()
    {
        Assert.That(SmsSegments.Count(new string('[', 80)), Is.EqualTo(1));
        Assert.That(SmsSegments.Count(new string('[', 81)), Is.EqualTo(2));
    }

    [TestCase("Halo, apa kabar? Balas YA atau TIDAK.", true)]
    [TestCase("Terima kasih – sampai jumpa", false)]
    [TestCase("Ketik \u201cYA\u201d", false)]
    [TestCase("harga\u00a0murah", false)]
    [TestCase("suhu 38°", false)]
    [TestCase("biaya €10 {tagihan}", true)]
    public void IsGsm7(string text, bool expected) => Assert.That(SmsSegments.IsGsm7(text), Is.EqualTo(expected));

    [Test]
    public void Count_OneEnDashIn100Characters_CostsTwoInsteadOfOne() =>
        Assert.That(SmsSegments.Count(new string('a', 99) + "\u2013"), Is.EqualTo(2));
}
