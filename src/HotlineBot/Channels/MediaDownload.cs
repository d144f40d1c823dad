namespace HotlineBot.Channels;

/// <summary>Reading a citizen's photo from a provider: never more than <see cref="MaxBytes"/>, whatever the server says.</summary>
public static class MediaDownload
{
    /// <summary>WhatsApp's own limit for media (16 MB); Twilio MMS is 5 MB. Anything larger is not read.</summary>
    public const int MaxBytes = 16 * 1024 * 1024;

    /// <summary>The body and its media type, or null when it is (or turns out to be) larger than the limit.</summary>
    public static async Task<(byte[] Bytes, string? ContentType)?> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Content.Headers.ContentLength > MaxBytes) return null;
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var bytes = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(buffer, ct)) > 0)
        {
            if (bytes.Length + read > MaxBytes) return null;        // no Content-Length, and too much
            bytes.Write(buffer, 0, read);
        }
        return (bytes.ToArray(), response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>Whether <paramref name="url"/> is on one of <paramref name="hosts"/> or a subdomain of one.</summary>
    public static bool IsOn(Uri url, IEnumerable<string> hosts)
    {
        ArgumentNullException.ThrowIfNull(url);
        return hosts.Any(h => url.Host.Equals(h, StringComparison.OrdinalIgnoreCase) || url.Host.EndsWith("." + h, StringComparison.OrdinalIgnoreCase));
    }
}
