using HotlineBot.Core.Dialogs;
using HotlineBot.Core.Dialogs.Inputs;

namespace HotlineBot.Core.Tests.Dialogs.Inputs;

public sealed class ChoiceInputTests
{
    private static readonly StepDefinition Step = ShippedFlow.Step("confirm");

    [TestCase("YA", "yes")]
    [TestCase("ya.", "yes")]
    [TestCase("iya", "yes")]
    [TestCase("ok", "yes")]
    [TestCase("nggih", "yes")]
    [TestCase("1", "yes")]
    [TestCase("UBAH", "edit")]
    [TestCase("ganti", "edit")]
    [TestCase("2", "edit")]
    [TestCase("dua", "edit")]
    [TestCase("satu", "yes")]
    [TestCase("iyaaa", "yes")]
    [TestCase("Ya.", "yes")]
    public void Parse_Accepted(string input, string key) =>
        Assert.That(new ChoiceInput().Parse(Step, new DialogInput(input), ShippedFlow.Context()).Answer?.Keys, Is.EqualTo(new[] { key }));

    [TestCase("mungkin")]
    [TestCase("3")]
    [TestCase("0")]
    [TestCase("")]
    public void Parse_Refused(string input) =>
        Assert.That(new ChoiceInput().Parse(Step, new DialogInput(input), ShippedFlow.Context()).Error, Is.EqualTo("choice"));
}
