using System.Net;
using Microsoft.Extensions.Logging;

namespace HotlineBot.Tests.Webhooks;

/// <summary>Anyone can POST a huge body, signed or not: it gets 413, and the log gets one warning a minute at most —
/// never an error with a stack trace per request (log flooding).</summary>
public sealed class OversizedBodyTests
{
    [TestCase(true)]
    [TestCase(false)]
    public async Task BodiesOverTheLimit_Get413_AndAtMostOneWarning(bool chunked)
    {
        using var host = new HotlineHost(SignedRequest.Settings);
        using var client = new HttpClient { BaseAddress = new Uri(host.StartKestrel()) };
        var body = new byte[2 * 1024 * 1024];
        Array.Fill(body, (byte)'a');

        foreach (var path in new[] { "/webhooks/twilio/messages", "/webhooks/whatsapp", "/webhooks/android-sms", "/webhooks/twilio/messages" })
        {
            HttpContent content = chunked ? new StreamContent(new MemoryStream(body)) : new ByteArrayContent(body);
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
            request.Headers.TransferEncodingChunked = chunked;
            request.Content.Headers.ContentType = new("application/x-www-form-urlencoded");
            HttpStatusCode status;
            try
            {
                using var response = await client.SendAsync(request);
                status = response.StatusCode;
            }
            catch (HttpRequestException) when (chunked)
            {
                // The server may close the connection while the client still writes the rest of the body.
                status = HttpStatusCode.RequestEntityTooLarge;
            }
            Assert.That(status, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge), path);
        }
        await Task.Delay(200);

        var records = host.Logs.GetSnapshot();
        Assert.That(records.Where(r => r.Level >= LogLevel.Error).Select(r => $"{r.Category}: {r.Message} {r.Exception}"), Is.Empty);
        Assert.That(records.Where(r => r.Exception is not null && r.Level >= LogLevel.Warning).Select(r => r.Message), Is.Empty, "no stack traces");
        Assert.That(records.Count(r => r.Message.Contains("body over", StringComparison.Ordinal)), Is.EqualTo(1), "one warning a minute");
    }
}
