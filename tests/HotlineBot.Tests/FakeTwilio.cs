using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace HotlineBot.Tests;

/// <summary>
/// Twilio's Messages.json on loopback (real HTTP): records each request and answers from a script of responses —
/// 201 with a sid by default, or whatever the test queues (500, 429 with Retry-After, 400 with a Twilio error code).
/// </summary>
public sealed class FakeTwilio : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(int Status, string Body, string? RetryAfter)> _script = new();
    private int _sent;

    private FakeTwilio(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";
    public ConcurrentQueue<Recorded> Requests { get; } = new();

    /// <summary>How long to take before answering a send (recorded on arrival); none by default.</summary>
    public Func<IReadOnlyDictionary<string, string>, TimeSpan> Delay { get; set; } = _ => TimeSpan.Zero;

    public sealed record Recorded(string Path, string? Authorization, IReadOnlyDictionary<string, string> Form)
    {
        public DateTimeOffset At { get; init; } = DateTimeOffset.UtcNow;
    }

    public static async Task<FakeTwilio> StartAsync()
    {
        var app = Loopback.Create();
        var fake = new FakeTwilio(app);
        app.MapPost("/2010-04-01/Accounts/{account}/Messages.json", async (HttpContext http) =>
        {
            var form = await http.Request.ReadFormAsync();
            var fields = form.ToDictionary(f => f.Key, f => f.Value.ToString());
            fake.Requests.Enqueue(new Recorded(http.Request.Path, http.Request.Headers.Authorization, fields));
            if (fake.Delay(fields) is { Ticks: > 0 } delay) await Task.Delay(delay);
            var (status, body, retryAfter) = fake._script.TryDequeue(out var next)
                ? next
                : (201, $$"""{"sid":"SM{{Interlocked.Increment(ref fake._sent):D32}}","status":"queued"}""", null);
            http.Response.StatusCode = status;
            if (retryAfter is not null) http.Response.Headers.RetryAfter = retryAfter;
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(body);
        });
        await app.StartAsync();
        fake.BaseUrl = app.Urls.First();
        return fake;
    }

    /// <summary>The next responses, in order; after them, 201 again.</summary>
    public void Then(int status, string body, string? retryAfter = null) => _script.Enqueue((status, body, retryAfter));

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
