using HotlineBot.Core.Dialogs;
using HotlineBot.Core.Dialogs.Inputs;

namespace HotlineBot.Core.Tests.Dialogs.Inputs;

public sealed class AddressInputTests
{
    private static readonly StepDefinition Step = ShippedFlow.Step("address");

    [TestCase("Ds Karangrau RT 2/3 Kec Sokaraja")]
    [TestCase("jl. merdeka no 5, kel. sukamaju")]
    public void Parse_Accepted(string input) =>
        Assert.That(new AddressInput().Parse(Step, new DialogInput(input), ShippedFlow.Context()).Answer?.Display, Is.EqualTo(input));

    [TestCase("rt2")]
    [TestCase("12/3")]
    [TestCase("")]
    public void Parse_Refused(string input) =>
        Assert.That(new AddressInput().Parse(Step, new DialogInput(input), ShippedFlow.Context()).Error, Is.EqualTo("too_short"));

    [Test]
    public void Parse_NikTypedIntoTheAddress_IsMasked() =>
        Assert.That(new AddressInput().Parse(Step, new DialogInput("Ds Karangrau 3302011708450003"), ShippedFlow.Context()).Answer?.Display,
            Is.EqualTo("Ds Karangrau 3302********0003"));

    [Test]
    public void Parse_WhatsAppLocationWithoutLabel_IsNamedAndKeepsThePosition()
    {
        var answer = new AddressInput().Parse(Step, new DialogInput("", new GeoPoint(-7.4312345, 109.2)), ShippedFlow.Context()).Answer!;

        Assert.That(answer.Display, Is.EqualTo("Lokasi WhatsApp (-7.43123, 109.2)"));
        Assert.That(answer.Position, Is.EqualTo(new GeoPoint(-7.4312345, 109.2)));
    }
}
