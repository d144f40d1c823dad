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

    [TestCase(null, "127.0.0.1", true, TestName = "Loopback by default")]
    [TestCase(null, "::1", true, TestName = "IPv6 loopback by default")]
    [TestCase(null, "192.168.1.20", false, TestName = "Not a private network by default (a proxy off this host would make everyone private)")]
    [TestCase(null, "203.0.113.9", false, TestName = "Not the public")]
    [TestCase("10.0.0.0/8", "::ffff:10.1.2.3", true, TestName = "A configured network, also IPv4-mapped")]
    [TestCase("10.0.0.0/8", "127.0.0.1", false, TestName = "A configured list replaces the defaults")]
    public void AllowedNetworks(string? setting, string address, bool allowed)
    {
        var options = new HotlineBot.Metrics.MetricsOptions { AllowedNetworks = setting is null ? null : [setting] };
        Assert.That(options.Allows(IPAddress.Parse(address)), Is.EqualTo(allowed));
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
