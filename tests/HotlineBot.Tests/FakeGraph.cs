using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace HotlineBot.Tests;

/// <summary>Meta's Graph API messages endpoint on loopback (real HTTP): records each send, answers from a script.</summary>
public sealed class FakeGraph : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(int Status, string Body)> _script = new();
    private int _sent;

    private FakeGraph(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";
    public ConcurrentQueue<Recorded> Requests { get; } = new();

    public sealed record Recorded(string Path, string? Authorization, string To, string Text)
    {
        /// <summary>Button or list titles, when the message was interactive.</summary>
        public List<string> Options { get; init; } = [];
    }

    public static async Task<FakeGraph> StartAsync()
    {
        var app = Loopback.Create();
        var fake = new FakeGraph(app);
        app.MapPost("/{phone}/messages", async (HttpContext http) =>
        {
            using var json = await JsonDocument.ParseAsync(http.Request.Body);
            var root = json.RootElement;
            var to = root.TryGetProperty("to", out var t) ? t.GetString()! : root.GetProperty("recipient").GetString()!;
            var type = root.GetProperty("type").GetString();
            var text = type == "template"
                ? "template " + root.GetProperty("template").GetProperty("name").GetString() + ": "
                  + root.GetProperty("template").GetProperty("components")[0].GetProperty("parameters")[0].GetProperty("text").GetString()
                : type == "interactive"
                    ? root.GetProperty("interactive").GetProperty("body").GetProperty("text").GetString()!
                    : root.GetProperty("text").GetProperty("body").GetString()!;
            var interactive = type == "interactive" ? root.GetProperty("interactive") : default;
            var options = type != "interactive" ? [] : interactive.GetProperty("type").GetString() == "button"
                ? interactive.GetProperty("action").GetProperty("buttons").EnumerateArray().Select(b => b.GetProperty("reply").GetProperty("title").GetString()!).ToList()
                : interactive.GetProperty("action").GetProperty("sections")[0].GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("title").GetString()!).ToList();
            fake.Requests.Enqueue(new Recorded(http.Request.Path, http.Request.Headers.Authorization, to, text) { Options = options });
            var (status, body) = fake._script.TryDequeue(out var next)
                ? next
                : (200, $$"""{"messaging_product":"whatsapp","messages":[{"id":"wamid.OUT{{Interlocked.Increment(ref fake._sent)}}"}]}""");
            http.Response.StatusCode = status;
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(body);
        });
        await app.StartAsync();
        fake.BaseUrl = app.Urls.First();
        return fake;
    }

    public void Then(int status, string body) => _script.Enqueue((status, body));

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
