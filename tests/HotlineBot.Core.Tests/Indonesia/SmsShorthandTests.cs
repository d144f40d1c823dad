using HotlineBot.Core.Indonesia;

namespace HotlineBot.Core.Tests.Indonesia;

public sealed class SmsShorthandTests
{
    [TestCase("  Tidak   Tahu. ", "tidak tahu")]
    [TestCase("tdk tau", "tidak tahu")]
    [TestCase("gk tw", "gak tahu")]
    [TestCase("nggak", "gak")]
    [TestCase("sy tlg dgn cepat!", "saya tolong dengan cepat")]
    [TestCase("tolooong", "tolong")]
    [TestCase("iyaaa", "iya")]
    [TestCase("saat", "saat")]
    [TestCase("aaah tolooong skrg", "ah tolong sekarang")]
    [TestCase("111 !!!", "111")]
    [TestCase("rs", "rumah sakit")]
    [TestCase("BATAL", "batal")]
    [TestCase("1000", "1000")]
    [TestCase("?", "?")]
    [TestCase("", "")]
    [TestCase("apa?", "apa")]
    public void Fold(string input, string expected) => Assert.That(SmsShorthand.Fold(input), Is.EqualTo(expected));
}
