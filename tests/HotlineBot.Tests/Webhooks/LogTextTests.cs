using HotlineBot.Webhooks;

namespace HotlineBot.Tests.Webhooks;

public sealed class LogTextTests
{
    [TestCase("TELKOMSEL", "TELKOMSEL", TestName = "A plain value stays")]
    [TestCase("a\r\nfake: entry", "a  fake: entry", TestName = "New lines cannot forge a log entry")]
    [TestCase("\u001b[31mred\u001b[0m", " [31mred [0m", TestName = "Terminal escapes lose their ESC")]
    [TestCase("👍🏽", "👍🏽", TestName = "Emoji (surrogate pairs) stay")]
    [TestCase(null, "", TestName = "Null is empty")]
    public void Clean(string? value, string expected) => Assert.That(LogText.Clean(value), Is.EqualTo(expected));

    [Test]
    public void Clean_ALoneSurrogateBecomesASpace() =>
        Assert.That(LogText.Clean("ha" + (char)0xD800 + "lo" + (char)0xDC00), Is.EqualTo("ha lo "));

    [Test]
    public void Clean_CutsLongValues() =>
        Assert.That(LogText.Clean(new string('x', 500)), Has.Length.EqualTo(LogText.MaxLength + 1).And.EndsWith("…"));
}
