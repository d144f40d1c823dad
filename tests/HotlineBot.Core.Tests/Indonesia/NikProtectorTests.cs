using System.Security.Cryptography;
using HotlineBot.Core.Indonesia;

namespace HotlineBot.Core.Tests.Indonesia;

public sealed class NikProtectorTests
{
    private static readonly Nik Sample = Nik.Check("3302011708450003", new DateOnly(2026, 11, 23)).Nik!;
    private readonly NikProtector _protector = new(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    [Test]
    public void Protect_ThenUnprotect_GivesTheDigitsBack()
    {
        var stored = _protector.Protect(Sample);

        Assert.That(_protector.Unprotect(stored.Ciphertext), Is.EqualTo("3302011708450003"));
    }

    [Test]
    public void Protect_StoresNoDigitsInAnyField()
    {
        var stored = _protector.Protect(Sample);

        Assert.That(new[] { stored.Ciphertext, stored.BlindIndex, stored.Masked }, Has.None.Contains("3302011708450003"));
        Assert.That(stored.Masked, Is.EqualTo("3302********0003"));
    }

    [Test]
    public void Protect_Twice_GivesDifferentCiphertextButTheSameBlindIndex()
    {
        var a = _protector.Protect(Sample);
        var b = _protector.Protect(Sample);

        Assert.That(a.Ciphertext, Is.Not.EqualTo(b.Ciphertext), "a fresh nonce each time");
        Assert.That(a.BlindIndex, Is.EqualTo(b.BlindIndex), "the index finds the same NIK again");
    }

    [Test]
    public void BlindIndex_DependsOnTheKey()
    {
        var other = new NikProtector(new byte[32]);

        Assert.That(other.BlindIndex(Sample.Digits), Is.Not.EqualTo(_protector.BlindIndex(Sample.Digits)));
    }

    [Test]
    public void Unprotect_TamperedCiphertext_Throws()
    {
        var box = Convert.FromBase64String(_protector.Protect(Sample).Ciphertext);
        box[^1] ^= 1;

        Assert.That(() => _protector.Unprotect(Convert.ToBase64String(box)), Throws.InstanceOf<CryptographicException>());
    }

    [Test]
    public void Constructor_ShortKey_IsRefused() =>
        Assert.That(() => new NikProtector(new byte[16]), Throws.ArgumentException);
}
