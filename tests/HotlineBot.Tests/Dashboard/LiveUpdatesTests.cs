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
}
