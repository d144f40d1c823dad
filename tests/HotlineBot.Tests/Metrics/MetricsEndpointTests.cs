using System.Net;

namespace HotlineBot.Tests.Metrics;

/// <summary><c>GET /metrics</c> (DESIGN.md §3) scraped over real HTTP after a full report, a handoff, a refused send, a
/// sweep and an SLA breach: every meter of the hotline is there, with ASP.NET Core's, HttpClient's and the runtime's.</summary>
public sealed class MetricsEndpointTests
{
    [Test]
    public async Task AfterAFullReport_EveryHotlineMeterIsScraped()
    {
        var (twilio, host) = await HotlineHost.WithFakeTwilioAsync(new() { ["Routing:OfficerContacts:0"] = "+6281100000999" });
        await using var _ = twilio;
        using var __ = host;
        var baseUrl = host.StartKestrel();
        twilio.Then(400, """{"code":21211,"message":"Invalid 'To' Phone Number","status":400}""");

        foreach (var text in new[] { "halo", "Budi Santoso", "TIDAK TAHU", "ds karangrau kec sokaraja", "1", "TIDAK", "YA" })
            await host.SmsAsync("+6281277780001", text);
        foreach (var text in new[] { "halo", "1", "??", "08123" })
            await host.SmsAsync("+6281277780002", text);
        await host.RunTimersAsync();                              // the sweep delivers: one send refused (21211), the rest sent
        host.Clock.Advance(TimeSpan.FromMinutes(31));
        await host.RunTimersAsync();                              // nobody accepted in 30 minutes: an SLA breach

        using var client = new HttpClient { BaseAddress = new Uri(baseUrl) };
        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        var text2 = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "loopback may read the metrics without signing in");
        Assert.That(text2, Does.Contain("hotline_webhook_requests_total{").And.Contain("provider=\"twilio\"").And.Contain("outcome=\"processed\""));
        Assert.That(text2, Does.Contain("hotline_dialog_steps_total"));
        Assert.That(text2, Does.Contain("hotline_dialog_handoffs_total"));
        Assert.That(text2, Does.Contain("hotline_cases_created_total"));
        Assert.That(text2, Does.Contain("hotline_outbox_messages{").And.Contain("state=\"failed\""));
        Assert.That(text2, Does.Contain("hotline_case_notification_delay_seconds_bucket"));
        Assert.That(text2, Does.Contain("hotline_provider_errors_total{").And.Contain("code=\"21211\""));
        Assert.That(text2, Does.Contain("hotline_sla_breaches_total{").And.Contain("deadline=\"accept\""));
        Assert.That(text2, Does.Contain("hotline_outbox_sweep_rescued_total"));
        Assert.That(text2, Does.Contain("http_server_request_duration_seconds").And.Contain("http_client_request_duration_seconds")
            .And.Contain("dotnet_gc_"), "ASP.NET Core, HttpClient and runtime instrumentation");
    }

    [TestCase("10.0.0.0/8", "127.0.0.1", true)]
    [TestCase(null, "127.0.0.1", true)]
    [TestCase(null, "192.168.1.20", true)]
    [TestCase(null, "203.0.113.9", false)]
    [TestCase(null, "::ffff:10.1.2.3", true)]
    [TestCase("10.0.0.0/8", "192.168.1.20", false)]
    public void AllowedNetworks_ASettingReplacesTheDefaults(string? setting, string address, bool allowed)
    {
        var options = new HotlineBot.Metrics.MetricsOptions { AllowedNetworks = setting is null ? null : [setting] };
        // A setting replaces the defaults: with 10.0.0.0/8 only, loopback is refused too.
        var expected = allowed && !(setting is not null && address == "127.0.0.1");
        Assert.That(options.Allows(IPAddress.Parse(address)), Is.EqualTo(expected));
    }

    [Test]
    public async Task FromOutsideTheAllowedNetworks_MetricsAreRefused()
    {
        using var host = new HotlineHost(new() { ["Metrics:AllowedNetworks:0"] = "10.0.0.0/8" });
        var baseUrl = host.StartKestrel();
        using var client = new HttpClient { BaseAddress = new Uri(baseUrl) };
        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }
}
