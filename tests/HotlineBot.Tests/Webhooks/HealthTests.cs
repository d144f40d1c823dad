using System.Net;

namespace HotlineBot.Tests.Webhooks;

public sealed class HealthTests
{
    [Test]
    public async Task Healthz_IsOk()
    {
        using var host = new HotlineHost();
        using var client = host.CreateClient();

        Assert.That(await client.GetStringAsync(new Uri("/healthz", UriKind.Relative)), Is.EqualTo("ok"));
    }

    [Test]
    public async Task Readyz_WithDatabaseAndFlows_IsReady()
    {
        using var host = new HotlineHost();
        using var client = host.CreateClient();

        using var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("ready: 2 flow(s)"));
    }

    [Test]
    public async Task Readyz_DatabaseGone_Is503()
    {
        using var host = new HotlineHost();
        using var client = host.CreateClient();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(host.Directory, recursive: true);

        using var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
    }
}
