using System.Security.Cryptography;
using System.Text;

namespace HotlineBot.Core.Indonesia;

/// <summary>A NIK as it may be stored: ciphertext, blind index for de-duplication, and the masked display form.</summary>
public sealed record ProtectedNik(string Ciphertext, string BlindIndex, string Masked);

/// <summary>
/// Encrypts NIKs with AES-256-GCM and computes an HMAC-SHA256 blind index (DESIGN.md §6). Both keys are derived with
/// HKDF from one master key, so one secret (<c>Privacy:NikKey</c>) is all an office has to keep.
/// </summary>
public sealed class NikProtector
{
    private const byte FormatVersion = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _encryptionKey;
    private readonly byte[] _indexKey;

    public NikProtector(ReadOnlySpan<byte> masterKey)
    {
        if (masterKey.Length < 32) throw new ArgumentException("The NIK key must be at least 32 bytes.", nameof(masterKey));
        _encryptionKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey.ToArray(), 32, info: "hotline nik aes-gcm"u8.ToArray());
        _indexKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey.ToArray(), 32, info: "hotline nik blind index"u8.ToArray());
    }

    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(32);

    public ProtectedNik Protect(Nik nik)
    {
        ArgumentNullException.ThrowIfNull(nik);
        var plain = Encoding.ASCII.GetBytes(nik.Digits);
        var sealedBox = new byte[1 + NonceSize + TagSize + plain.Length];
        sealedBox[0] = FormatVersion;
        var nonce = sealedBox.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(_encryptionKey, TagSize))
        {
            aes.Encrypt(nonce, plain, sealedBox.AsSpan(1 + NonceSize + TagSize), sealedBox.AsSpan(1 + NonceSize, TagSize));
        }
        return new ProtectedNik(Convert.ToBase64String(sealedBox), BlindIndex(nik.Digits), nik.Masked);
    }

    public string Unprotect(string ciphertext)
    {
        var box = Convert.FromBase64String(ciphertext);
        if (box.Length < 1 + NonceSize + TagSize || box[0] != FormatVersion)
            throw new CryptographicException("Unknown NIK ciphertext format.");
        var plain = new byte[box.Length - 1 - NonceSize - TagSize];
        using var aes = new AesGcm(_encryptionKey, TagSize);
        aes.Decrypt(box.AsSpan(1, NonceSize), box.AsSpan(1 + NonceSize + TagSize), box.AsSpan(1 + NonceSize, TagSize), plain);
        return Encoding.ASCII.GetString(plain);
    }

    public string BlindIndex(string digits) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_indexKey, Encoding.ASCII.GetBytes(digits)));
}
