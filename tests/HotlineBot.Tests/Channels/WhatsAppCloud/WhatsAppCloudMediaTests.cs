using System.Collections.Concurrent;
using HotlineBot.Channels.WhatsAppCloud;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests.Channels.WhatsAppCloud;

/// <summary>
/// Reading a photo sent through the Cloud API over real HTTP: the Graph API (on 127.0.0.1) answers a media id with a
/// URL on Meta's media host (here 127.0.0.1, configured as one) — or, when it misbehaves, on another host ("localhost"),
/// which must never receive our token.
/// </summary>
public sealed class WhatsAppCloudMediaTests
{
    private WebApplication _graph = null!;
    private readonly ConcurrentQueue<(string Path, string Authorization)> _requests = new();
    private HotlineHost _host = null!;

    [SetUp]
    public async Task SetUp()
    {
        _requests.Clear();
        _graph = Loopback.Create();
        _graph.Use(async (http, next) =>
        {
            _requests.Enqueue((http.Request.Path + http.Request.QueryString, http.Request.Headers.Authorization.ToString()));
            await next(http);
        });
        string Url(string host) => _graph.Urls.First().Replace("127.0.0.1", host, StringComparison.Ordinal);
        _graph.MapGet("/{id}", (string id) => id switch
        {
            "1166374567891234" => Results.Json(new { url = Url("127.0.0.1") + "/whatsapp_business/attachments/?mid=1166374567891234", mime_type = "image/jpeg", file_size = 4, id }),
            "2000000000000000" => Results.Json(new { url = Url("localhost") + "/elsewhere", mime_type = "image/jpeg", file_size = 4, id }),
            "3000000000000000" => Results.Json(new { url = Url("127.0.0.1") + "/big", mime_type = "video/mp4", file_size = 64L * 1024 * 1024, id }),
            _ => Results.NotFound(),
        });
        _graph.MapGet("/whatsapp_business/attachments/", () => Results.Bytes("JPEG"u8.ToArray(), "image/jpeg"));
        _graph.MapGet("/elsewhere", () => Results.Bytes("JPEG"u8.ToArray(), "image/jpeg"));
        await _graph.StartAsync();
        _host = new HotlineHost(new()
        {
            ["WhatsAppCloud:AppSecret"] = "s", ["WhatsAppCloud:AccessToken"] = "graph-token", ["WhatsAppCloud:PhoneNumberId"] = "1234567890",
            ["WhatsAppCloud:ApiBaseUrl"] = _graph.Urls.First(), ["WhatsAppCloud:MediaHosts:0"] = "127.0.0.1",
        });
    }

    [TearDown]
    public async Task TearDown()
    {
        _host.Dispose();
        await _graph.DisposeAsync();
    }

    private Task<(byte[] Bytes, string? ContentType)?> Fetch(string reference) =>
        _host.Services.GetRequiredService<WhatsAppCloudMedia>().FetchAsync(reference, CancellationToken.None);

    [Test]
    public async Task Fetch_LooksUpTheIdThenReadsMetasUrlWithTheToken()
    {
        var media = await Fetch("meta-media:1166374567891234");

        Assert.That(media!.Value.Bytes, Is.EqualTo("JPEG"u8.ToArray()));
        Assert.That(media.Value.ContentType, Is.EqualTo("image/jpeg"));
        Assert.That(_requests.Select(r => r.Path), Is.EqualTo(new[] { "/1166374567891234", "/whatsapp_business/attachments/?mid=1166374567891234" }));
        Assert.That(_requests.Select(r => r.Authorization), Has.All.EqualTo("Bearer graph-token"));
    }

    [Test]
    public async Task Fetch_AUrlOffMetasMediaHosts_IsNeverRequested()
    {
        Assert.That(await Fetch("meta-media:2000000000000000"), Is.Null);
        Assert.That(_requests.Select(r => r.Path), Is.EqualTo(new[] { "/2000000000000000" }), "the token never went to the other host");
    }

    [Test]
    public async Task Fetch_LargerThanTheLimit_IsNotRead()
    {
        Assert.That(await Fetch("meta-media:3000000000000000"), Is.Null);
        Assert.That(_requests, Has.Count.EqualTo(1));
    }

    [TestCase("meta-media:../me", TestName = "Fetch_AnIdThatIsNotANumber_IsNotSent")]
    [TestCase("https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1", TestName = "Fetch_ATwilioUrl_IsNotOurs")]
    public async Task Fetch_NotAMetaMediaId(string reference)
    {
        Assert.That(await Fetch(reference), Is.Null);
        Assert.That(_requests, Is.Empty);
    }
}
