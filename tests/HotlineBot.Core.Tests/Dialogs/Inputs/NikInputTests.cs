using HotlineBot.Core.Dialogs;
using HotlineBot.Core.Dialogs.Inputs;

namespace HotlineBot.Core.Tests.Dialogs.Inputs;

public sealed class NikInputTests
{
    private static readonly StepDefinition Step = ShippedFlow.Step("nik");
    private readonly NikInput _input = new();

    [TestCase("3273056010900009")]
    [TestCase("3273 0560 1090 0009")]
    [TestCase("3273-0560-1090-0009")]
    public void Parse_ValidNik_CarriesOnlyTheProtectedForm(string typed)
    {
        var answer = _input.Parse(Step, new DialogInput(typed), ShippedFlow.Context()).Answer!;

        Assert.That(answer.Display, Is.EqualTo("3273********0009"));
        Assert.That(answer.Nik, Is.Not.Null);
        Assert.That(ShippedFlow.Protector.Unprotect(answer.Nik!.Ciphertext), Is.EqualTo("3273056010900009"));
        Assert.That(answer.Flags, Is.Empty);
    }

    [TestCase("317101170845000", "length")]
    [TestCase("3.17101E+15", "not_digits")]
    [TestCase("0950060607610439", "province")]
    [TestCase("7105101613610439", "date")]
    [TestCase("7105100607610000", "serial")]
    [TestCase("entah", "not_digits")]
    public void Parse_Refused_WithTheErrorKeyOfItsReAsk(string typed, string error)
    {
        var result = _input.Parse(Step, new DialogInput(typed), ShippedFlow.Context());

        Assert.That(result.Error, Is.EqualTo(error));
        Assert.That(Step.Errors.ContainsKey(error), Is.True, "the shipped flow has a specific re-ask for it");
    }

    [Test]
    public void Redact_ValidNik_StoresTheMask()
    {
        var result = _input.Parse(Step, new DialogInput("3273056010900009"), ShippedFlow.Context());

        Assert.That(_input.Redact("3273056010900009", result), Is.EqualTo("3273********0009"));
    }

    [Test]
    public void Redact_RefusedNik_StoresNothingOfIt()
    {
        var result = _input.Parse(Step, new DialogInput("327305601090000"), ShippedFlow.Context());

        Assert.That(_input.Redact("327305601090000", result), Is.EqualTo("[redacted]"));
    }
}
