using HotlineBot.Core.Dialogs;
using HotlineBot.Core.Dialogs.Inputs;

namespace HotlineBot.Core.Tests.Dialogs.Inputs;

public sealed class TextInputTests
{
    private static readonly StepDefinition Step = ShippedFlow.Step("patient_name");

    [TestCase("Siti Aminah", "Siti Aminah")]
    [TestCase("  Pak   Darto  ", "Pak Darto")]
    [TestCase("Mbah Karsih bin Wiryo", "Mbah Karsih bin Wiryo")]
    public void Parse_Accepted(string input, string display) =>
        Assert.That(new TextInput().Parse(Step, new DialogInput(input), ShippedFlow.Context()).Answer?.Display, Is.EqualTo(display));

    [TestCase("a", "too_short")]
    [TestCase("   ", "too_short")]
    [TestCase("12345", "no_letters")]
    public void Parse_Refused(string input, string error) =>
        Assert.That(new TextInput().Parse(Step, new DialogInput(input), ShippedFlow.Context()).Error, Is.EqualTo(error));

    [Test]
    public void Parse_LongerThanMaxLength_IsRefused() =>
        Assert.That(new TextInput().Parse(Step, new DialogInput(new string('a', 81)), ShippedFlow.Context()).Error, Is.EqualTo("too_long"));
}
