using HotlineBot.Core.Indonesia;

namespace HotlineBot.Core.Tests.Indonesia;

public sealed class NikRedactorTests
{
    [TestCase("3302011708450003", "3302********0003", TestName = "Redact_BareNik_IsMasked")]
    [TestCase("nik nya 3302 0117 0845 0003 ya", "nik nya 3302********0003 ya", TestName = "Redact_NikWithSpacesInASentence_IsMasked")]
    [TestCase("3302.0117.0845.0003", "3302********0003", TestName = "Redact_NikWithDots_IsMasked")]
    [TestCase("hp 081234567890", "hp 081234567890", TestName = "Redact_PhoneNumber_IsKept")]
    [TestCase("RT 002/003 no 15", "RT 002/003 no 15", TestName = "Redact_Address_IsKept")]
    [TestCase("33020117084500031", "3302*********0031", TestName = "Redact_SeventeenDigits_MayHoldANik_IsMasked")]
    [TestCase("kode 48213302011708450003", "kode 4821************0003", TestName = "Redact_NikTouchingACaseCode_IsMasked")]
    [TestCase("3302\u00A00117\u00A00845\u00A00003", "3302********0003", TestName = "Redact_NikSplitByNoBreakSpaces_IsMasked")]
    [TestCase("3302/0117/0845/0003", "3302********0003", TestName = "Redact_NikSplitBySlashes_IsMasked")]
    [TestCase("nik:\n3302011708\n450003", "nik:\n3302********0003", TestName = "Redact_NikSplitByANewline_IsMasked")]
    [TestCase("33O2O117O845OOO3", "3302********0003", TestName = "Redact_NikWithLetterO_IsMasked")]
    [TestCase("Siti 3302,0145,0685,0003", "Siti 3302********0003", TestName = "Redact_NikSplitByCommas_IsMasked")]
    [TestCase("hp 0812-3456-7890, 0857-1234-5678", "hp 0812-3456-7890, 0857-1234-5678", TestName = "Redact_TwoPhonesWithAComma_AreKept")]
    public void Redact(string input, string expected) => Assert.That(NikRedactor.Redact(input), Is.EqualTo(expected));
}
