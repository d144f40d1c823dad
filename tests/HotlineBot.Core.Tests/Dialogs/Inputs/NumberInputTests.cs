using HotlineBot.Core.Dialogs;
using HotlineBot.Core.Dialogs.Inputs;

namespace HotlineBot.Core.Tests.Dialogs.Inputs;

public sealed class NumberInputTests
{
    private static readonly StepDefinition Step = new() { Id = "people", Input = "number", Min = 1, Max = 30 };

    private static InputResult Parse(string text) => new NumberInput().Parse(Step, new DialogInput(text), ShippedFlow.Context());

    [TestCase("3", "3")]
    [TestCase("3 orang", "3")]
    [TestCase("ada 12 org", "12")]
    [TestCase("tiga", "3")]
    [TestCase("Lima orang", "5")]
    [TestCase("dua belas", "12")]
    [TestCase("30", "30")]
    public void Parse_Accepted(string text, string value) => Assert.That(Parse(text).Answer?.Display, Is.EqualTo(value));

    [TestCase("banyak", "number")]
    [TestCase("", "number")]
    [TestCase("2 atau 3", "number")]
    [TestCase("0", "range")]
    [TestCase("31", "range")]
    [TestCase("nol", "range")]
    public void Parse_Refused(string text, string error) => Assert.That(Parse(text).Error, Is.EqualTo(error));
}
