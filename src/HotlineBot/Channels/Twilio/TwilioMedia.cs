using System.Net;
using System.Text;
using Microsoft.Extensions.Options;

namespace HotlineBot.Channels.Twilio;

/// <summary>
/// Reads a photo a citizen sent through Twilio, for an officer to look at. Twilio's media URLs may need HTTP Basic
/// auth (courier's BuildAttachmentRequest) and redirect to a CDN: the credentials go to Twilio's own hosts only, never
/// along a redirect to another host, and nothing is fetched from a host that is not Twilio's.
/// </summary>
public sealed class TwilioMedia(IOptions<TwilioOptions> options, IHttpClientFactory http)
{
    public const string HttpClientName = "twilio-media";
    private const int MaxRedirects = 3;

    /// <summary>The media's bytes and type, or null when the URL is not Twilio's or Twilio will not give it (not found,
    /// too large). Throws <see cref="HttpRequestException"/> when Twilio cannot be reached: that is worth a retry.</summary>
    public async Task<(byte[] Bytes, string? ContentType)?> FetchAsync(Uri url, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!IsTwilioHost(url)) return null;
        var client = http.CreateClient(HttpClientName);
        var current = url;
        for (var hop = 0; hop <= MaxRedirects; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            if (IsTwilioHost(current) && options.Value.IsConfigured)
                request.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Value.AccountSid}:{options.Value.AuthToken}")));
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            if (response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.MovedPermanently or HttpStatusCode.TemporaryRedirect
                or HttpStatusCode.PermanentRedirect or HttpStatusCode.SeeOther && response.Headers.Location is { } next)
            {
                current = next.IsAbsoluteUri ? next : new Uri(current, next);
                if (current.Scheme != Uri.UriSchemeHttps && current.Scheme != url.Scheme) return null;   // never downgrade
                continue;
            }
            return response.IsSuccessStatusCode ? await MediaDownload.ReadAsync(response, ct) : null;
        }
        return null;
    }

    private bool IsTwilioHost(Uri url) => MediaDownload.IsOn(url, options.Value.MediaHosts);
}
