using System.Buffers;
using HotlineBot.Channels;
using HotlineBot.Configuration;
using Microsoft.Extensions.Options;

namespace HotlineBot.Webhooks;

/// <summary>
/// The thin HTTP edge shared by every provider: bounded read → the channel verifies and parses → the pipeline commits →
/// the channel renders the reply. A hostile request gets a 4xx; a fault on our side a 503 with Retry-After (nothing
/// was committed, so nothing was acknowledged), never a 500.
/// </summary>
public static partial class WebhookEndpoint
{
    /// <summary>Twilio caps Body at 1,600 characters; a real form is a few kilobytes.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public static Task HandleAsync(HttpContext http, IChannel channel) => HandleAsync(http, channel, channel.Receive);

    /// <summary>The same edge for delivery reports: 200 with an empty reply once applied (or known stale).</summary>
    public static Task HandleStatusAsync(HttpContext http, Channels.Twilio.TwilioChannel twilio) => HandleAsync(http, twilio, twilio.ReceiveStatus);

    private static async Task HandleAsync(HttpContext http, IChannel channel, Func<WebhookRequest, WebhookOutcome> receive)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(channel);
        var services = http.RequestServices;
        var ct = http.RequestAborted;
        if (http.Request.ContentLength > MaxBodyBytes)
        {
            await Plain(http, 413, "body too large");
            return;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(MaxBodyBytes + 1);
        try
        {
            var length = 0;
            int read;
            while ((read = await http.Request.Body.ReadAsync(buffer.AsMemory(length, MaxBodyBytes + 1 - length), ct)) > 0)
            {
                length += read;
                if (length > MaxBodyBytes)
                {
                    await Plain(http, 413, "body too large");
                    return;
                }
            }

            var options = services.GetRequiredService<IOptions<HotlineOptions>>().Value;
            var headers = new Dictionary<string, string>(http.Request.Headers.Count, StringComparer.OrdinalIgnoreCase);
            foreach (var (key, value) in http.Request.Headers) headers[key] = value.ToString();
            var request = new WebhookRequest(http.Request.Method, PublicUrl(http.Request, options), headers,
                buffer.AsMemory(0, length), http.Request.ContentType);

            var outcome = receive(request);
            if (outcome is WebhookRejected rejected)
            {
                await Plain(http, rejected.StatusCode, rejected.Reason);
                return;
            }
            var replies = new List<string>();
            foreach (var item in outcome is WebhookBatch batch ? batch.Items : [outcome])
            {
                try
                {
                    switch (item)
                    {
                        case MessageReceived received:
                            replies.AddRange(await services.GetRequiredService<InboundPipeline>().ProcessAsync(received.Message, ct));
                            break;
                        case StatusReceived report:
                            await services.GetRequiredService<DeliveryReports>().ApplyAsync(report, ct);
                            break;
                        case WebhookIgnored ignored:
                            LogIgnored(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WebhookEndpoint)), channel.Provider, ignored.Reason);
                            break;
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Not committed, so not acknowledged: the provider retries, and what did commit is deduplicated then.
                    var id = item switch { MessageReceived r => r.Message.ProviderMessageId, StatusReceived r => r.ProviderMessageId, _ => "" };
                    LogFailed(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WebhookEndpoint)), e, channel.Provider, id);
                    http.Response.Headers.RetryAfter = "5";
                    await Plain(http, 503, "temporarily unavailable, retry");
                    return;
                }
            }
            var response = channel.Reply(channel.RepliesInline ? replies : []);
            http.Response.StatusCode = response.StatusCode;
            http.Response.ContentType = response.ContentType;
            await http.Response.WriteAsync(response.Body, ct);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The URL the provider called: <c>Hotline:PublicBaseUrl</c> + path + query when set, else the request
    /// URL as seen through the forwarded headers. The query is used raw, as the provider signed it.</summary>
    public static string PublicUrl(HttpRequest request, HotlineOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        var pathAndQuery = request.PathBase.ToUriComponent() + request.Path.ToUriComponent() + request.QueryString.ToUriComponent();
        return string.IsNullOrEmpty(options.PublicBaseUrl)
            ? $"{request.Scheme}://{request.Host.ToUriComponent()}{pathAndQuery}"
            : options.PublicBaseUrl.TrimEnd('/') + pathAndQuery;
    }

    private static Task Plain(HttpContext http, int status, string text)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/plain; charset=utf-8";
        return http.Response.WriteAsync(text);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Provider} webhook acknowledged and not acted on: {Reason}")]
    private static partial void LogIgnored(ILogger logger, string provider, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not process {Provider} message {MessageId}; answered 503 so the provider retries")]
    private static partial void LogFailed(ILogger logger, Exception exception, string provider, string messageId);
}
