using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace HotlineBot.Channels.WhatsAppCloud;

/// <summary>
/// Reads a photo a citizen sent through the Cloud API (<c>meta-media:&lt;id&gt;</c> on the case): the Graph API gives
/// the media's short-lived URL (<c>GET /{media-id}</c>), which is read with the same token — but only on Meta's media
/// hosts (<see cref="WhatsAppCloudOptions.MediaHosts"/>), never on a host the answer happens to name, and never past
/// the size limit.
/// </summary>
public sealed class WhatsAppCloudMedia(IOptions<WhatsAppCloudOptions> options, IHttpClientFactory http)
{
    public const string Prefix = "meta-media:";

    /// <summary>The media's bytes and type, or null when it is not a Cloud API reference or Meta will not give it (expired,
    /// not found, too large, an answer we cannot use). Throws <see cref="HttpRequestException"/> when Meta cannot be
    /// reached: that is worth a retry.</summary>
    public async Task<(byte[] Bytes, string? ContentType)?> FetchAsync(string reference, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var o = options.Value;
        if (!reference.StartsWith(Prefix, StringComparison.Ordinal) || !o.IsConfigured) return null;
        var id = reference[Prefix.Length..];
        if (id.Length == 0 || !id.All(char.IsAsciiDigit)) return null;      // Meta's media ids are numbers: nothing else goes in the path
        var client = http.CreateClient(MediaHttpClientName);

        Uri? url;
        using (var lookup = new HttpRequestMessage(HttpMethod.Get, new Uri($"{o.ApiBaseUrl.TrimEnd('/')}/{id}")))
        {
            lookup.Headers.Authorization = new AuthenticationHeaderValue("Bearer", o.AccessToken);
            using var response = await client.SendAsync(lookup, ct);
            if (!response.IsSuccessStatusCode) return null;
            if (response.Content.Headers.ContentType?.MediaType != "application/json") return null;
            using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), cancellationToken: ct);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;
            if (root.TryGetProperty("file_size", out var size) && size.TryGetInt64(out var bytes) && bytes > MediaDownload.MaxBytes) return null;
            if (!root.TryGetProperty("url", out var u) || !Uri.TryCreate(u.GetString(), UriKind.Absolute, out url)) return null;
        }
        // Never a downgrade: HTTPS, unless the Graph API itself was configured on plain HTTP (a loopback fake).
        if (!MediaDownload.IsOn(url, o.MediaHosts) || url.Scheme != Uri.UriSchemeHttps && url.Scheme != new Uri(o.ApiBaseUrl).Scheme) return null;
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", o.AccessToken);
        using var media = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        return media.IsSuccessStatusCode ? await MediaDownload.ReadAsync(media, ct) : null;
    }

    /// <summary>No automatic redirects: the token must not follow one to another host.</summary>
    public const string MediaHttpClientName = "whatsapp-cloud-media";
}
