using System.Buffers;
using HotlineBot.Channels;
using HotlineBot.Configuration;
using Microsoft.Extensions.Options;

namespace HotlineBot.Webhooks;

/// <summary>
/// The thin HTTP edge shared by every provider: bounded read → the channel verifies and parses → the pipeline commits →
/// the channel renders the reply. A hostile request gets a 4xx; a fault on our side a 503 with Retry-After (nothing
/// was committed, so nothing was acknowledged), never a 500. An item whose processing keeps failing (a poison message)
/// is parked by <see cref="PoisonMessages"/>: acknowledged, answered with a plain apology, and shown to the officers.
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
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WebhookEndpoint));
        var metrics = services.GetRequiredService<Metrics.HotlineMetrics>();
        var outcomeName = "error";
        try
        {
            outcomeName = await HandleBodyAsync(http, channel, receive, logger, ct);
        }
        finally
        {
            metrics.Webhook(channel.Provider, http.Response.StatusCode, outcomeName);
        }
    }

    /// <returns>What became of the request, for the webhook counter: processed, rejected, too_large, malformed, parked, retry.</returns>
    private static async Task<string> HandleBodyAsync(HttpContext http, IChannel channel, Func<WebhookRequest, WebhookOutcome> receive, ILogger logger,
        CancellationToken ct)
    {
        var services = http.RequestServices;
        if (http.Request.ContentLength > MaxBodyBytes)
        {
            await TooLarge(http, logger, channel.Provider);
            return "too_large";
        }

        // The server's own limit for this request is ours: a chunked body past it is refused by the server while we read
        // (and never drained after our answer, which would fail the request as an unhandled error).
        if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = MaxBodyBytes;
        var buffer = ArrayPool<byte>.Shared.Rent(MaxBodyBytes + 1);
        try
        {
            var length = 0;
            try
            {
                int read;
                while ((read = await http.Request.Body.ReadAsync(buffer.AsMemory(length, MaxBodyBytes + 1 - length), ct)) > 0)
                {
                    length += read;
                    if (length > MaxBodyBytes) break;
                }
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                length = MaxBodyBytes + 1;
            }
            if (length > MaxBodyBytes)
            {
                await TooLarge(http, logger, channel.Provider);
                return "too_large";
            }

            var options = services.GetRequiredService<IOptions<HotlineOptions>>().Value;
            var headers = new Dictionary<string, string>(http.Request.Headers.Count, StringComparer.OrdinalIgnoreCase);
            foreach (var (key, value) in http.Request.Headers) headers[key] = value.ToString();
            var request = new WebhookRequest(http.Request.Method, PublicUrl(http.Request, options), headers,
                buffer.AsMemory(0, length), http.Request.ContentType);

            WebhookOutcome outcome;
            try { outcome = receive(request); }
            catch (Exception e) when (UntrustedJson.IsMalformed(e))
            {
                // Data the parser could not read (text that is not valid UTF-8 or UTF-16, a document it rejects): the
                // request is malformed, not our fault — a 400 and a warning that names the fault without its text.
                LogMalformed(logger, channel.Provider, e.GetType().Name);
                await Plain(http, 400, "malformed request");
                return "malformed";
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Anything else is a bug in a parser: an error for us to fix, and a 503 (the data may be fine).
                LogParserBug(logger, e, channel.Provider, e.GetType().Name);
                http.Response.Headers.RetryAfter = "5";
                await Plain(http, 503, "temporarily unavailable, retry");
                return "retry";
            }
            if (outcome is WebhookRejected rejected)
            {
                await Plain(http, rejected.StatusCode, rejected.Reason);
                return "rejected";
            }
            var result = "processed";
            var replies = new List<string>();
            foreach (var parsed in outcome is WebhookBatch batch ? batch.Items : [outcome])
            {
                var item = WithoutNul(parsed);
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
                            LogIgnored(logger, channel.Provider, LogText.Clean(ignored.Reason));
                            break;
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Not committed, so not acknowledged: the provider retries, and what did commit is deduplicated then —
                    // unless this item has failed every time: then it is parked and acknowledged.
                    if (!await services.GetRequiredService<PoisonMessages>().FailedAsync(channel, item, e, ct))
                    {
                        http.Response.Headers.RetryAfter = "5";
                        await Plain(http, 503, "temporarily unavailable, retry");
                        return "retry";
                    }
                    result = "parked";
                    if (item is MessageReceived && services.GetRequiredService<PoisonMessages>().Apology() is { Length: > 0 } apology) replies.Add(apology);
                }
            }
            var response = channel.Reply(channel.RepliesInline ? replies : []);
            http.Response.StatusCode = response.StatusCode;
            http.Response.ContentType = response.ContentType;
            await http.Response.WriteAsync(response.Body, ct);
            return result;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>PostgreSQL text cannot hold U+0000: whatever a provider's payload carried, every field goes on without it.</summary>
    private static WebhookOutcome WithoutNul(WebhookOutcome item) => item switch
    {
        MessageReceived r => new MessageReceived(InboundPipeline.WithoutNul(r.Message)),
        StatusReceived r when r.ProviderMessageId.Contains('\0', StringComparison.Ordinal) || r.Status.Contains('\0', StringComparison.Ordinal) =>
            r with { ProviderMessageId = r.ProviderMessageId.Replace("\0", "", StringComparison.Ordinal), Status = r.Status.Replace("\0", "", StringComparison.Ordinal) },
        _ => item,
    };

    /// <summary>413 for a body over <see cref="MaxBodyBytes"/>: anyone can send one, so it is a warning at most once a
    /// minute (with how many were refused meanwhile), never an error with a stack trace.</summary>
    private static Task TooLarge(HttpContext http, ILogger logger, string provider)
    {
        if (http.RequestServices.GetRequiredService<LogRate>().TryTake(out var suppressed)) LogTooLarge(logger, provider, MaxBodyBytes, suppressed);
        // The rest of the body is not read: the connection closes after this answer instead of draining it.
        http.Response.Headers.Connection = "close";
        return Plain(http, 413, "body too large");
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

    [LoggerMessage(Level = LogLevel.Error, Message = "{Provider} webhook parser failed ({Fault}); answered 503: a bug, not the sender's data")]
    private static partial void LogParserBug(ILogger logger, Exception exception, string provider, string fault);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Provider} webhook refused as malformed ({Fault})")]
    private static partial void LogMalformed(ILogger logger, string provider, string fault);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Provider} webhook body over {Limit} bytes refused with 413 ({Suppressed} more since the last warning)")]
    private static partial void LogTooLarge(ILogger logger, string provider, int limit, long suppressed);
}
