using System.Net;
using Dapper;
using HotlineBot.Dashboard;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests.Dashboard;

/// <summary>A reporter's photos on the case page: fetched from "Twilio" on loopback with our credentials, shown only to
/// signed-in officers, each view audited, and a file that is not an image never served as one.</summary>
public sealed class AttachmentTests
{
    private WebApplication _media = null!;
    private HotlineHost _host = null!;
    private string _code = "";

    [SetUp]
    public async Task SetUp()
    {
        _media = Loopback.Create();
        _media.MapGet("/2010-04-01/Accounts/{account}/Messages/{sid}/Media/{media}", (string media) => media switch
        {
            "MEPHOTO" => Results.Bytes("JPEG"u8.ToArray(), "image/jpeg"),
            "MEHTML" => Results.Bytes("<script>alert(1)</script>"u8.ToArray(), "text/html"),
            _ => Results.NotFound(),
        });
        await _media.StartAsync();
        _host = new HotlineHost(new() { ["Twilio:MediaHosts:0"] = "127.0.0.1" });
        await _host.Services.GetRequiredService<Officers>().AddAsync("rina", "Rina", Roles.Officer, "sandi-petugas-2026", "test", CancellationToken.None);
        _code = await Reported.CaseAsync(_host, "+6281299990001");
        var url = _media.Urls.First() + "/2010-04-01/Accounts/AC1/Messages/MM1/Media/";
        await using var db = new SqliteConnection($"Data Source={_host.DatabasePath}");
        await db.ExecuteAsync("UPDATE cases SET media = @Media WHERE code = @Code",
            new { Code = _code, Media = $"[\"{url}MEPHOTO\",\"{url}MEHTML\",\"{url}MEGONE\"]" });
    }

    [TearDown]
    public async Task TearDown()
    {
        _host.Dispose();
        await _media.DisposeAsync();
    }

    private async Task<HttpClient> SignedInAsync()
    {
        var client = _host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await HttpSignIn.SignInAsync(client, "rina", "sandi-petugas-2026");
        return client;
    }

    [Test]
    public async Task Photo_IsShownInline_AndTheViewAudited()
    {
        using var client = await SignedInAsync();
        using var response = await client.GetAsync(new Uri($"/kasus/{_code}/lampiran/0", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("image/jpeg"));
        Assert.That(await response.Content.ReadAsByteArrayAsync(), Is.EqualTo("JPEG"u8.ToArray()));
        Assert.That(response.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
        await using var db = new SqliteConnection($"Data Source={_host.DatabasePath}");
        Assert.That(await db.QuerySingleAsync<(string, string, string)>("SELECT actor, subject, detail FROM audit_log WHERE action = 'attachment_viewed'"),
            Is.EqualTo(("officer:rina", _code, "1")));
    }

    [Test]
    public async Task NotAnImage_IsADownload_NeverAPage()
    {
        using var client = await SignedInAsync();
        using var response = await client.GetAsync(new Uri($"/kasus/{_code}/lampiran/1", UriKind.Relative));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/octet-stream"));
        Assert.That(response.Content.Headers.ContentDisposition!.DispositionType, Is.EqualTo("attachment"));
    }

    [Test]
    public async Task GoneOrNoSuchAttachment_Is404()
    {
        using var client = await SignedInAsync();
        using (var gone = await client.GetAsync(new Uri($"/kasus/{_code}/lampiran/2", UriKind.Relative))) Assert.That(gone.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        using (var none = await client.GetAsync(new Uri($"/kasus/{_code}/lampiran/9", UriKind.Relative))) Assert.That(none.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task SignedOut_RedirectsToSignIn_AndFetchesNothing()
    {
        using var client = _host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var response = await client.GetAsync(new Uri($"/kasus/{_code}/lampiran/0", UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        await using var db = new SqliteConnection($"Data Source={_host.DatabasePath}");
        Assert.That(await db.ExecuteScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'attachment_viewed'"), Is.Zero);
    }
}
