using HotlineBot.Core.Indonesia;

namespace HotlineBot.Core.Tests.Indonesia;

public sealed class IndonesianPhoneTests
{
    // What libphonenumber-csharp (region ID) does with Indonesian input, plus our 0062 and JID handling (DESIGN.md §5).
    [TestCase("08123456789", "+628123456789")]
    [TestCase("0812-3456-789", "+628123456789")]
    [TestCase("628123456789", "+628123456789")]
    [TestCase("62 812 3456 789", "+628123456789")]
    [TestCase("+62 (812) 3456-7890", "+6281234567890")]
    [TestCase("0812.3456.7890", "+6281234567890")]
    [TestCase("+62-0812-3456-789", "+628123456789")]
    [TestCase("0062812345678", "+62812345678")]
    [TestCase("628123456789@c.us", "+628123456789")]
    [TestCase("+6281234567890", "+6281234567890")]
    [TestCase("+14155238886", "+14155238886")]
    [TestCase("halo", null)]
    [TestCase("", null)]
    [TestCase("ID.4566546130240823", null)]        // a WhatsApp username's business-scoped id: not a number
    public void ToE164(string input, string? expected) => Assert.That(IndonesianPhone.ToE164(input), Is.EqualTo(expected));
}
