using HotlineBot.Channels.Twilio;

namespace HotlineBot.Tests.Channels.Twilio;

public sealed class TwilioSignatureTests
{
    private const string Token = "12345";

    // Params and signatures from Twilio's official test suites, token 12345 (twilio-csharp RequestValidatorTest.cs,
    // twilio-node spec/validation.spec.js, twilio-python tests/unit/test_request_validator.py); unnumbered cases are ours.
    private static readonly KeyValuePair<string, string>[] Params =
    [
        new("CallSid", "CA1234567890ABCDE"), new("Caller", "+14158675309"), new("Digits", "1234"),
        new("From", "+14158675309"), new("To", "+18005551212"),
    ];

    public sealed record Vector(string Label, string Url, string Signature, bool Valid)
    {
        public override string ToString() => Label;
    }

    private static readonly Vector[] Official =
    [
        new("1 exact", "https://mycompany.com/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8=", true),
        new("2 signed with :443 added", "https://mycompany.com/myapp.php?foo=1&bar=2", "kvajT1Ptam85bY51eRf/AJRuM3w=", true),
        new("3 signed with :80 added", "http://mycompany.com/myapp.php?foo=1&bar=2", "0ZXoZLH/DfblKGATFgpif+LLRf4=", true),
        new("4 custom port removed", "https://mycompany.com:1234/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8=", true),
        new("5 signed with the custom port", "https://mycompany.com:1234/myapp.php?foo=1&bar=2", "CYn1h0gLBdNxDGkKJg6hYohgeD8=", true),
        new("6 http custom port", "http://mycompany.com:1234/myapp.php?foo=1&bar=2", "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=", true),
        new("7 mixed-case host preserved", "https://MyCompany.com/myapp.php?foo=1&bar=2", "g9IN/x4Cft2g517EjYvEvM/W7LU=", true),
        new("8 mixed-case host with port", "https://MyCompany.com:1234/myapp.php?foo=1&bar=2", "PCqOZm8cnu/L6+u5i5fuEd+Iac4=", true),
        new("9 mixed-case host http", "http://MyCompany.com/myapp.php?foo=1&bar=2", "XY7AlKOKL6im4yWyX84gldUrtis=", true),
        new("10 lower-case signature for a mixed-case host (twilio-csharp: invalid)", "https://MyCompany.com/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8=", false),
        new("11 userinfo", "http://username:password@MyCompany.com/myapp.php?foo=1&bar=2", "PJ08CxXr7KLPjEQCTc8LkUSMwSM=", true),
        new("12 upper-case scheme", "HTTP://username:password@MyCompany.com/myapp.php?foo=1&bar=2", "hy/l8pca+LFms4cvRdv8uiP6NGc=", true),
        new("13 mixed-case userinfo", "http://Username:Password@MyCompany.com/myapp.php?foo=1&bar=2", "SkTSKyDJH9kUlhItI0slbgZ1UsI=", true),
        new("14 https userinfo", "https://user:pass@mycompany.com/myapp.php?foo=1&bar=2", "CukzLTc1tT5dXEDIHm/tKBanW10=", true),
        new("15 user only", "https://user@mycompany.com/myapp.php?foo=1&bar=2", "2YRLlVAflCqxaNicjMpJcSTgzSs=", true),
        new("16 userinfo signed with :443", "https://user:pass@mycompany.com/myapp.php?foo=1&bar=2", "ZQFR1PTIZXF2MXB8ZnKCvnnA+rI=", true),
        new("18a wrong signature", "https://mycompany.com/myapp.php?foo=1&bar=2", "NOTRSOYDt4T1cUTdK1PDd93/VVr8B8=", false),
        new("18b not base64", "https://mycompany.com/myapp.php?foo=1&bar=2", "WRONG_SIGNATURE", false),
        new("empty signature", "https://mycompany.com/myapp.php?foo=1&bar=2", "", false),
        new("another path", "https://mycompany.com/other.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8=", false),
    ];

    [TestCaseSource(nameof(Official))]
    public void IsValid_OfficialVector(Vector v) =>
        Assert.That(TwilioSignature.IsValid(Token, v.Url, Params, v.Signature), Is.EqualTo(v.Valid));

    [Test]
    public void Compute_FirstVector_IsTwilios() =>
        Assert.That(TwilioSignature.Compute(Token, "https://mycompany.com/myapp.php?foo=1&bar=2", Params), Is.EqualTo("RSOYDt4T1cUTdK1PDd93/VVr8B8="));

    [Test]
    public void IsValid_AnyChangedValue_IsRefused()
    {
        var tampered = Params.Select(p => p.Key == "Digits" ? new KeyValuePair<string, string>("Digits", "9999") : p).ToArray();

        Assert.That(TwilioSignature.IsValid(Token, "https://mycompany.com/myapp.php?foo=1&bar=2", tampered, "RSOYDt4T1cUTdK1PDd93/VVr8B8="), Is.False);
    }

    [Test]
    public void IsValid_AnotherToken_IsRefused() =>
        Assert.That(TwilioSignature.IsValid("54321", "https://mycompany.com/myapp.php?foo=1&bar=2", Params, "RSOYDt4T1cUTdK1PDd93/VVr8B8="), Is.False);

    [Test]
    public void IsValid_RepeatedKey_SortsAndDeduplicatesValuesLikeTwilioNode()
    {
        KeyValuePair<string, string>[] form =
        [
            new("Sid", "CA123"), new("SidAccount", "AC123"), new("Digits", "5678"), new("Digits", "1234"), new("Digits", "1234"),
        ];

        Assert.That(TwilioSignature.IsValid(Token, "https://mycompany.com/myapp.php?foo=1&bar=2", form, "IK+Dwps556ElfBT0I3Rgjkr1wJU="), Is.True);
    }

    [Test]
    public void IsValid_RepeatedKeyInEitherOrder_Validates()
    {
        KeyValuePair<string, string>[] a = [new("MessagingBinding.Address", "+1325xxxxxxx"), new("MessagingBinding.Address", "+1415xxxxxxx")];
        KeyValuePair<string, string>[] b = [a[1], a[0]];

        Assert.That(TwilioSignature.IsValid(Token, "https://mycompany.com/myapp.php?foo=1&bar=2", a, "83O6e2vORAoJHUNzJjDWN1jz+BA="), Is.True);
        Assert.That(TwilioSignature.IsValid(Token, "https://mycompany.com/myapp.php?foo=1&bar=2", b, "83O6e2vORAoJHUNzJjDWN1jz+BA="), Is.True);
    }

    // Not from an official suite: a WhatsApp-shaped form, computed with Python, npm twilio 6.2.0 and C#, which agree.
    private static KeyValuePair<string, string>[] WhatsAppForm(string body) =>
    [
        new("SmsMessageSid", "SM1"), new("NumMedia", "0"), new("ProfileName", "Budi"), new("MessageType", "text"),
        new("SmsSid", "SM1"), new("WaId", "6281234567890"), new("SmsStatus", "received"), new("Body", body),
        new("To", "whatsapp:+14155238886"), new("NumSegments", "1"), new("ReferralNumMedia", "0"), new("MessageSid", "SM1"),
        new("AccountSid", "AC00000000000000000000000000000000"), new("From", "whatsapp:+6281234567890"), new("ApiVersion", "2010-04-01"),
    ];

    [TestCase("Halo", "https://example.com/twilio/inbound", "l8IQ/pxDxBHvf3/g3/548l+MylU=")]
    [TestCase("Terima kasih \u2013 sampai jumpa \U0001F60A", "https://example.com/twilio/inbound", "jqUhWUJgJtmm8cUSqy7jMKETGKM=")]
    [TestCase("Terima kasih \u2013 sampai jumpa \U0001F60A", "https://example.com:443/twilio/inbound", "jqUhWUJgJtmm8cUSqy7jMKETGKM=")]
    public void IsValid_WhatsAppShapedForm(string body, string url, string signature) =>
        Assert.That(TwilioSignature.IsValid(Token, url, WhatsAppForm(body), signature), Is.True);

    [TestCase("https://h.example/p?q=1", new[] { "https://h.example/p?q=1", "https://h.example:443/p?q=1" })]
    [TestCase("http://h.example/p", new[] { "http://h.example/p", "http://h.example:80/p" })]
    [TestCase("https://h.example:8443/p", new[] { "https://h.example:8443/p", "https://h.example/p" })]
    [TestCase("https://u:p@h.example/p", new[] { "https://u:p@h.example/p", "https://u:p@h.example:443/p" })]
    [TestCase("https://[::1]/p", new[] { "https://[::1]/p", "https://[::1]:443/p" })]
    public void UrlVariants(string url, string[] expected) => Assert.That(TwilioSignature.UrlVariants(url), Is.EqualTo(expected));
}
