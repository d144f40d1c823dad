using System.Net;
using HotlineBot.Dashboard;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HotlineBot.Tests.Dashboard;

public sealed class LiveUpdatesTests
{
    [Test]
    public async Task AFailingPage_NeverFailsTheCommittedWebhook_AndTheOthersStillHear()
    {
        using var host = new HotlineHost();
        var live = host.Services.GetRequiredService<LiveUpdates>();
        var heard = 0;
        live.Changed += () => throw new ObjectDisposedException("circuit");
        live.Changed += () => heard++;

        using var response = await host.PostTwilioAsync("/webhooks/twilio/messages", HotlineHost.SmsForm("+6281299990001", "halo", "SM1"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(heard, Is.EqualTo(1));
        Assert.That(host.Logs.GetSnapshot().Where(r => r.Level == LogLevel.Warning).Select(r => r.Message),
            Has.Some.EqualTo("A dashboard page failed to take a live update"));
    }

    /// <summary>A page rendered on the server for the first response (before its circuit starts) is thrown away once the
    /// response is sent. Were it to listen, every commit until then would run its queries — on SQLite on the webhook's own
    /// thread — and a refresh could outlive the request, even the service (a test's folder was found with a fresh WAL file
    /// in it after the host had stopped).</summary>
    [Test]
    public async Task APageRenderedForTheFirstResponse_NeverListens()
    {
        using var host = new HotlineHost();
        var live = host.Services.GetRequiredService<LiveUpdates>();

        foreach (var page in new[] { "/", "/pesan", "/laporan", "/mitra", "/kasus/0000" })
            Assert.That(await HttpSignIn.GetAsOfficerAsync(host, page), Does.Contain("HotlineBot"), page);

        Assert.That(live.Subscribed, Is.Zero);
    }
}
