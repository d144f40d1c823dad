using HotlineBot.Core.Dialogs;
using HotlineBot.Core.Dialogs.Inputs;

namespace HotlineBot.Core.Tests.Dialogs.Inputs;

public sealed class YesNoInputTests
{
    private static readonly StepDefinition Step = new() { Id = "q", Input = "yes_no" };

    private static InputResult Parse(string text) => new YesNoInput().Parse(Step, new DialogInput(text), ShippedFlow.Context());

    [TestCase("ya")]
    [TestCase("Iya")]
    [TestCase("y")]
    [TestCase("OK")]
    [TestCase("oke")]
    [TestCase("yes")]
    [TestCase("betul")]
    [TestCase("benar.")]
    [TestCase("nggih")]
    [TestCase("muhun")]
    [TestCase("iyaaa")]
    [TestCase("siap")]
    public void Parse_Yes(string text) => Assert.That(Parse(text).Answer?.Keys, Is.EqualTo(new[] { "yes" }));

    [TestCase("tidak")]
    [TestCase("tdk")]
    [TestCase("gak")]
    [TestCase("ga")]
    [TestCase("gk")]
    [TestCase("nggak")]
    [TestCase("enggak")]
    [TestCase("no")]
    [TestCase("ora")]
    [TestCase("mboten")]
    [TestCase("bukan")]
    [TestCase("TIDAK!")]
    public void Parse_No(string text) => Assert.That(Parse(text).Answer?.Keys, Is.EqualTo(new[] { "no" }));

    [TestCase("mungkin")]
    [TestCase("entahlah")]
    [TestCase("")]
    [TestCase("ya tidak")]
    [TestCase("3")]
    public void Parse_Refused(string text) => Assert.That(Parse(text).Error, Is.EqualTo("yes_no"));

    [Test]
    public void Parse_StepChoiceWords_AddToTheBuiltInOnes()
    {
        var step = new StepDefinition
        {
            Id = "q", Input = "yes_no",
            Choices = [new() { Key = "yes", Words = ["darurat"] }, new() { Key = "no", Words = ["tidak darurat"] }],
        };

        Assert.That(new YesNoInput().Parse(step, new DialogInput("darurat"), ShippedFlow.Context()).Answer?.Keys, Is.EqualTo(new[] { "yes" }));
        Assert.That(new YesNoInput().Parse(step, new DialogInput("tdk darurat"), ShippedFlow.Context()).Answer?.Keys, Is.EqualTo(new[] { "no" }));
    }
}
