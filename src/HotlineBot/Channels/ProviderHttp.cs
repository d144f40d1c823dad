using System.Collections.Frozen;

namespace HotlineBot.Channels;

/// <summary>What every provider's send shares: reaching the provider, and reading its error codes.</summary>
internal static class ProviderHttp
{
    /// <summary>Sends the request; not reaching the provider (network, timeout, open circuit) becomes a transient
    /// outcome rather than an exception. An open circuit used no attempt: nothing left this process.</summary>
    public static async Task<(HttpResponseMessage? Response, SendOutcome? Failure)> SendAsync(HttpClient client, HttpRequestMessage request, string name, CancellationToken ct)
    {
        try
        {
            return (await client.SendAsync(request, ct), null);
        }
        catch (HttpRequestException e)
        {
            return (null, new SendOutcome(SendResult.Transient, Error: $"{name} unreachable: {e.Message}"));
        }
        catch (Exception e) when (e is TaskCanceledException or Polly.Timeout.TimeoutRejectedException && !ct.IsCancellationRequested)
        {
            return (null, new SendOutcome(SendResult.Transient, Error: $"{name} timed out"));
        }
        catch (Polly.CircuitBreaker.BrokenCircuitException)
        {
            return (null, new SendOutcome(SendResult.Transient, Error: $"{name} circuit open after repeated failures",
                RetryAfter: TimeSpan.FromSeconds(30), Attempted: false));
        }
    }

    /// <summary>A provider's own code when its table knows it; else the HTTP status: 429 throttled, 5xx transient,
    /// other 4xx permanent.</summary>
    public static SendResult Classify(FrozenDictionary<int, SendResult> table, int httpStatus, int? code) =>
        code is { } c && table.TryGetValue(c, out var known) ? known
        : httpStatus == 429 ? SendResult.Throttled
        : httpStatus >= 500 ? SendResult.Transient
        : SendResult.Permanent;
}
