using HotlineBot.Core.Indonesia;

namespace HotlineBot.Core.Tests.Indonesia;

public sealed class NikRedactorTests
{
    [TestCase("3302011708450003", "3302********0003", TestName = "Redact_BareNik_IsMasked")]
    [TestCase("nik nya 3302 0117 0845 0003 ya", "nik nya 3302********0003 ya", TestName = "Redact_NikWithSpacesInASentence_IsMasked")]
    [TestCase("3302.0117.0845.0003", "3302********0003", TestName = "Redact_NikWithDots_IsMasked")]
    [TestCase("hp 081234567890", "hp 081234567890", TestName = "Redact_PhoneNumber_IsKept")]
    [TestCase("RT 002/003 no 15", "RT 002/003 no 15", TestName = "Redact_Address_IsKept")]
    [TestCase("33020117084500031", "33020117084500031", TestName = "Redact_SeventeenDigits_IsNotANik")]
    public void Redact(string input, string expected) => Assert.That(NikRedactor.Redact(input), Is.EqualTo(expected));
}
