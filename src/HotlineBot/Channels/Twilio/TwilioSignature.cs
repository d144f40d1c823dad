using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace HotlineBot.Channels.Twilio;

/// <summary>
/// X-Twilio-Signature exactly as Twilio computes it (twilio-csharp <c>Security/RequestValidator.cs</c>, twilio-node
/// <c>webhooks.ts</c>): Base64(HMAC-SHA1(authToken, url + key₁value₁ + key₂value₂ …)) over every POST field, keys in
/// ordinal order, values decoded, empty values included. The URL is used with its case preserved, and also with the
/// default port added or an explicit port removed, since Twilio may sign either form.
/// https://www.twilio.com/docs/usage/webhooks/webhooks-security
/// </summary>
public static class TwilioSignature
{
    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form)
    {
        ArgumentNullException.ThrowIfNull(authToken);
        ArgumentNullException.ThrowIfNull(url);
        var suffix = Encoding.UTF8.GetBytes(FormSuffix(form));
        Span<byte> mac = stackalloc byte[HMACSHA1.HashSizeInBytes];
        try { Mac(Encoding.UTF8.GetBytes(authToken), url, suffix, mac); }
        finally { CryptographicOperations.ZeroMemory(suffix); }
        return Convert.ToBase64String(mac);
    }

    public static bool IsValid(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form, string? signature)
    {
        ArgumentNullException.ThrowIfNull(authToken);
        ArgumentNullException.ThrowIfNull(url);
        if (string.IsNullOrEmpty(signature) || authToken.Length == 0) return false;
        byte[] expected;
        try { expected = Convert.FromBase64String(signature); }
        catch (FormatException) { return false; }

        // Every webhook is checked here, so it is done with a few buffers: the form's part encoded once, each URL
        // variant written before it, the MAC compared in constant time.
        var key = Encoding.UTF8.GetBytes(authToken);
        var suffix = Encoding.UTF8.GetBytes(FormSuffix(form));
        Span<byte> mac = stackalloc byte[HMACSHA1.HashSizeInBytes];
        var valid = false;
        try
        {
            foreach (var candidate in UrlVariants(url))
            {
                Mac(key, candidate, suffix, mac);
                valid |= CryptographicOperations.FixedTimeEquals(mac, expected);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(suffix);      // the form's bytes hold the message text, a NIK perhaps
        }
        return valid;
    }

    /// <summary>HMAC-SHA1 of the URL followed by the form's part, written into a pooled buffer that is cleared after
    /// use (it held the message text).</summary>
    private static void Mac(byte[] key, string url, byte[] suffix, Span<byte> mac)
    {
        var data = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(url.Length) + suffix.Length);
        try
        {
            var length = Encoding.UTF8.GetBytes(url, data);
            suffix.CopyTo(data.AsSpan(length));
#pragma warning disable CA5350 // HMAC-SHA1 is what Twilio signs with; we verify, we do not choose.
            HMACSHA1.HashData(key, data.AsSpan(0, length + suffix.Length), mac);
#pragma warning restore CA5350
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(data, clearArray: true);
        }
    }

    // Repeated keys follow twilio-node/python: values de-duplicated, sorted, key+value for each. The pairs sorted by key
    // and then value, an exact repeat skipped, give just that.
    private static string FormSuffix(IEnumerable<KeyValuePair<string, string>> form)
    {
        var pairs = form.ToArray();
        Array.Sort(pairs, static (a, b) => string.CompareOrdinal(a.Key, b.Key) is var byKey and not 0 ? byKey : string.CompareOrdinal(a.Value, b.Value));
        var length = 0;
        foreach (var (key, value) in pairs) length += (key?.Length ?? 0) + (value?.Length ?? 0);
        var sb = new StringBuilder(length);
        for (var i = 0; i < pairs.Length; i++)
        {
            if (i > 0 && string.Equals(pairs[i].Key, pairs[i - 1].Key, StringComparison.Ordinal)
                && string.Equals(pairs[i].Value, pairs[i - 1].Value, StringComparison.Ordinal)) continue;
            sb.Append(pairs[i].Key).Append(pairs[i].Value);
        }
        return sb.ToString();
    }

    /// <summary>The URL as given, plus the one other form Twilio's libraries accept: the default port added when there
    /// is none, or an explicit port removed.</summary>
    public static IEnumerable<string> UrlVariants(string url)
    {
        yield return url;
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0) yield break;
        var authorityStart = schemeEnd + 3;
        var authorityEnd = url.IndexOfAny(['/', '?', '#'], authorityStart);
        if (authorityEnd < 0) authorityEnd = url.Length;
        var authority = url[authorityStart..authorityEnd];
        var hostStart = authority.LastIndexOf('@') + 1;
        var colon = authority.LastIndexOf(':');
        var hasPort = colon >= hostStart && !authority[colon..].Contains(']', StringComparison.Ordinal);
        var head = url[..authorityStart];
        var tail = url[authorityEnd..];
        if (hasPort)
        {
            yield return head + authority[..colon] + tail;
        }
        else
        {
            var scheme = url[..schemeEnd];
            var port = scheme.Equals("https", StringComparison.OrdinalIgnoreCase) ? ":443"
                : scheme.Equals("http", StringComparison.OrdinalIgnoreCase) ? ":80" : null;
            if (port is not null) yield return head + authority + port + tail;
        }
    }
}
