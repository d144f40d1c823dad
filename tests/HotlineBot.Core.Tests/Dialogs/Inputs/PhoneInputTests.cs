using HotlineBot.Core.Dialogs;
using HotlineBot.Core.Dialogs.Inputs;

namespace HotlineBot.Core.Tests.Dialogs.Inputs;

public sealed class PhoneInputTests
{
    private static readonly StepDefinition Step = new() { Id = "phone", Input = "phone" };

    private static InputResult Parse(string text) => new PhoneInput().Parse(Step, new DialogInput(text), ShippedFlow.Context());

    [TestCase("08123456789", "+628123456789")]
    [TestCase("0812-3456-789", "+628123456789")]
    [TestCase("628123456789", "+628123456789")]
    [TestCase("+62 812 3456 789", "+628123456789")]
    [TestCase("0062812345678", "+62812345678")]
    [TestCase("hp anaknya 0857 1234 5678 ya", "+6285712345678")]
    [TestCase("(021) 4567890", "+62214567890")]
    [TestCase("+60 12-345 6789", "+60123456789")]
    public void Parse_Accepted(string text, string e164) => Assert.That(Parse(text).Answer?.Display, Is.EqualTo(e164));

    [TestCase("081234567")]
    [TestCase("3273056010900009")]
    [TestCase("tidak punya hp")]
    [TestCase("")]
    public void Parse_Refused(string text) => Assert.That(Parse(text).Error, Is.EqualTo("phone"));
}
