using HotlineBot.Dashboard;

namespace HotlineBot.Tests.Dashboard;

public sealed class ErrorMeaningsTests
{
    [TestCase("twilio 400 21211: The 'To' number is not a valid phone number.", 21211, "nomor tujuan tidak valid")]
    [TestCase("error 63016", 63016, "jendela 24 jam WhatsApp tertutup")]
    [TestCase("whatsapp-cloud 400 131047: Re-engagement message", 131047, "jendela 24 jam WhatsApp tertutup")]
    [TestCase("error 30008", 30008, "gagal kirim, sebab tidak diketahui")]
    public void Describe_KnownCodes(string error, int code, string meaning)
    {
        Assert.That(ErrorMeanings.Code(error), Is.EqualTo(code));
        Assert.That(ErrorMeanings.Describe(error, "id"), Is.EqualTo(meaning));
    }

    [TestCase("contact opted out")]
    [TestCase("twilio 503 : Service Unavailable")]
    [TestCase(null)]
    public void Describe_NoCode_IsNull(string? error)
    {
        Assert.That(ErrorMeanings.Code(error), Is.Null);
        Assert.That(ErrorMeanings.Describe(error, "en"), Is.Null);
    }

    [Test]
    public void Describe_InEnglish() => Assert.That(ErrorMeanings.Describe("error 21610", "en"), Is.EqualTo("recipient replied STOP"));
}
