using HotlineBot.Core.Dialogs;
using HotlineBot.Core.Dialogs.Inputs;

namespace HotlineBot.Core.Tests.Dialogs.Inputs;

public sealed class MultiChoiceInputTests
{
    private static readonly StepDefinition Step = ShippedFlow.Step("needs");

    [TestCase("1", new[] { "ambulance" })]
    [TestCase("1,3", new[] { "ambulance", "insurance" })]
    [TestCase("1 3", new[] { "ambulance", "insurance" })]
    [TestCase("1, 3, 5", new[] { "ambulance", "insurance", "food" })]
    [TestCase("1 dan 5", new[] { "ambulance", "food" })]
    [TestCase("3;3;1", new[] { "insurance", "ambulance" })]
    [TestCase("ambulans", new[] { "ambulance" })]
    [TestCase("ambulans, bpjs", new[] { "ambulance", "insurance" })]
    [TestCase("Biaya RS", new[] { "hospital_costs" })]
    [TestCase("8", new[] { "post_care" })]
    public void Parse_Accepted(string input, string[] keys) =>
        Assert.That(new MultiChoiceInput().Parse(Step, new DialogInput(input), ShippedFlow.Context()).Answer?.Keys, Is.EqualTo(keys));

    [TestCase("9")]
    [TestCase("1,9")]
    [TestCase("tolong")]
    [TestCase("")]
    [TestCase(",")]
    public void Parse_Refused(string input) =>
        Assert.That(new MultiChoiceInput().Parse(Step, new DialogInput(input), ShippedFlow.Context()).Error, Is.EqualTo("choice"));

    [Test]
    public void Parse_English_LabelsInEnglish() =>
        Assert.That(new MultiChoiceInput().Parse(Step, new DialogInput("1,5"), ShippedFlow.Context("en")).Answer?.Display,
            Is.EqualTo("Ambulance, Food"));
}
