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

    private static readonly StepDefinition RtRw = ShippedFlow.Parse("""
        version: 1
        id: p
        messages:
          edit_menu: { id: "x {options}", en: "x {options}" }
        steps:
          - id: rt
            input: text
            pattern: "^RT ?\\d{1,3}/\\d{1,3}$"
            ask: { id: "RT/RW?", en: "RT/RW?" }
            retry: { id: "Contoh: RT 2/3", en: "E.g. RT 2/3" }
            max_attempts: 3
            on_fail: handoff
        """, "p.yaml").Step("rt");

    [TestCase("RT 2/3", true)]
    [TestCase("rt002/003", true)]
    [TestCase("dua tiga", false)]
    [TestCase("RT 2", false)]
    public void Parse_Pattern_DecidesAlone(string input, bool accepted) =>
        Assert.That(new TextInput().Parse(RtRw, new DialogInput(input), ShippedFlow.Context()).Error, Is.EqualTo(accepted ? null : "pattern"));
}
