using System.Collections.Concurrent;
using HotlineBot.Channels.Twilio;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests.Channels.Twilio;

/// <summary>
/// Fetching a citizen's photo over real HTTP: "Twilio" on 127.0.0.1 (configured as a Twilio media host) answers with a
/// redirect to a "CDN" on localhost, as api.twilio.com does; the CDN must never see our credentials.
/// </summary>
public sealed class TwilioMediaTests
{
    private WebApplication _twilio = null!, _cdn = null!;
    private readonly ConcurrentDictionary<string, string?> _authorization = new();
    private HotlineHost _host = null!;
    private string _twilioUrl = "", _cdnUrl = "";

    [SetUp]
    public async Task SetUp()
    {
        _cdn = Loopback.Create();
        _cdn.MapGet("/photo.jpg", (HttpContext http) =>
        {
            _authorization["cdn"] = http.Request.Headers.Authorization.ToString();
            return Results.Bytes("JPEG"u8.ToArray(), "image/jpeg");
        });
        await _cdn.StartAsync();
        _cdnUrl = _cdn.Urls.First().Replace("127.0.0.1", "localhost", StringComparison.Ordinal);   // another host name

        _twilio = Loopback.Create();
        _twilio.MapGet("/2010-04-01/Accounts/{account}/Messages/{sid}/Media/{media}", (HttpContext http, string media) =>
        {
            _authorization["twilio"] = http.Request.Headers.Authorization.ToString();
            return media switch
            {
                "ME404" => Results.NotFound(),
                "MEHUGE" => Results.Stream(async body =>      // streamed, no Content-Length: read until the limit, then given up
                {
                    var chunk = new byte[1024 * 1024];
                    for (var i = 0; i <= HotlineBot.Channels.MediaDownload.MaxBytes / chunk.Length; i++) await body.WriteAsync(chunk);
                }, "image/jpeg"),
                _ => Results.Redirect(_cdnUrl + "/photo.jpg", preserveMethod: true),
            };
        });
        await _twilio.StartAsync();
        _twilioUrl = _twilio.Urls.First();

        _host = new HotlineHost(new() { ["Twilio:MediaHosts:0"] = "127.0.0.1" });
    }

    [TearDown]
    public async Task TearDown()
    {
        _host.Dispose();
        await _twilio.DisposeAsync();
        await _cdn.DisposeAsync();
    }

    private Task<(byte[] Bytes, string? ContentType)?> Fetch(string url) =>
        _host.Services.GetRequiredService<TwilioMedia>().FetchAsync(new Uri(url), CancellationToken.None);

    [Test]
    public async Task Fetch_SendsBasicAuthToTwilioAndFollowsTheRedirectWithoutIt()
    {
        var media = await Fetch($"{_twilioUrl}/2010-04-01/Accounts/{HotlineHost.AccountSid}/Messages/MM1/Media/ME1");

        Assert.That(media, Is.Not.Null);
        Assert.That(media!.Value.Bytes, Is.EqualTo("JPEG"u8.ToArray()));
        Assert.That(media.Value.ContentType, Is.EqualTo("image/jpeg"));
        Assert.That(_authorization["twilio"], Is.EqualTo("Basic " + Convert.ToBase64String(
            System.Text.Encoding.UTF8.GetBytes($"{HotlineHost.AccountSid}:{HotlineHost.AuthToken}"))));
        Assert.That(_authorization["cdn"], Is.Empty, "credentials never follow a redirect to another host");
    }

    [Test]
    public async Task Fetch_AnUrlOutsideTwilio_IsNeverRequested()
    {
        var media = await Fetch(_cdnUrl + "/photo.jpg");

        Assert.That(media, Is.Null);
        Assert.That(_authorization, Does.Not.ContainKey("cdn"));
    }

    [Test]
    public async Task Fetch_MissingMedia_IsNull() =>
        Assert.That(await Fetch($"{_twilioUrl}/2010-04-01/Accounts/{HotlineHost.AccountSid}/Messages/MM1/Media/ME404"), Is.Null);

    [Test]
    public async Task Fetch_MoreThanTheLimit_IsNull() =>
        Assert.That(await Fetch($"{_twilioUrl}/2010-04-01/Accounts/{HotlineHost.AccountSid}/Messages/MM1/Media/MEHUGE"), Is.Null);
}
