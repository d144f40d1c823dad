using HotlineBot.Core.Dialogs;

namespace HotlineBot.Core.Tests.Dialogs;

/// <summary>The urgent words are found as whole words or phrases of a folded message, wherever they stand in it.</summary>
public sealed class FlowDefinitionTests
{
    private static readonly FlowDefinition Flow = new() { Commands = new() { ["urgent"] = ["darurat", "sesak napas", "sos"] } };

    [TestCase("darurat", true)]
    [TestCase("ibu saya darurat", true)]
    [TestCase("darurat tolong", true)]
    [TestCase("dia sesak napas sejak pagi", true)]
    [TestCase("sesak napasnya kumat", false)]
    [TestCase("kedaruratan", false)]
    [TestCase("daruratdarurat darurat", true)]
    [TestCase("sosial", false)]
    [TestCase("bantuan sosial sos", true)]
    [TestCase("", false)]
    public void IsUrgent_WholeWordsOnly(string folded, bool expected) => Assert.That(Flow.IsUrgent(folded), Is.EqualTo(expected));

    [Test]
    public void IsUrgent_NoUrgentWords_IsNever() => Assert.That(new FlowDefinition().IsUrgent("darurat"), Is.False);
}
