using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace HotlineBot.Tests;

/// <summary>SMS Gateway for Android's local API on loopback (real HTTP): records each send, answers from a script.</summary>
public sealed class FakeSmsGateway : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<int> _script = new();

    private FakeSmsGateway(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";
    public ConcurrentQueue<Recorded> Requests { get; } = new();

    public sealed record Recorded(string? Authorization, string Id, string To, string Text);

    public static async Task<FakeSmsGateway> StartAsync()
    {
        var app = Loopback.Create();
        var fake = new FakeSmsGateway(app);
        app.MapPost("/messages", async (HttpContext http) =>
        {
            using var json = await JsonDocument.ParseAsync(http.Request.Body);
            var root = json.RootElement;
            var id = root.GetProperty("id").GetString()!;
            fake.Requests.Enqueue(new Recorded(http.Request.Headers.Authorization, id,
                root.GetProperty("phoneNumbers")[0].GetString()!, root.GetProperty("textMessage").GetProperty("text").GetString()!));
            http.Response.StatusCode = fake._script.TryDequeue(out var status) ? status : 202;
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(http.Response.StatusCode == 202 ? $$"""{"id":"{{id}}","state":"Pending"}""" : """{"message":"scripted"}""");
        });
        await app.StartAsync();
        fake.BaseUrl = app.Urls.First();
        return fake;
    }

    public void Then(int status) => _script.Enqueue(status);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
