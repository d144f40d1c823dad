using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;

namespace HotlineBot.Tests.Webhooks.Fuzz;

/// <summary>
/// Malformed and hostile bodies for every webhook, signed and unsigned, over real HTTP on loopback against the real
/// service: no answer may be a 5xx, nothing may be logged as an error, and the service must be healthy afterwards —
/// ready, and still taking a citizen's report. <c>FUZZ_BODIES</c> and <c>FUZZ_SEED</c> set the size and seed
/// (<c>tools/fuzz.sh</c> runs 100,000); a failure prints the request that caused it, which the seed reproduces.
/// </summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed class WebhookFuzzTests(string engine)
{
    [Test]
    [CancelAfter(900_000)]
    public async Task HostileBodies_NeverGet5xx_AndLeaveTheServiceHealthy(CancellationToken ct)
    {
        // PostgreSQL refuses some text SQLite takes (a NUL character): the same bodies go to both, fewer to the second.
        var bodies = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_BODIES"), CultureInfo.InvariantCulture, out var n) ? n
            : engine == "sqlite" ? 20_000 : 5_000;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), CultureInfo.InvariantCulture, out var s) ? s : 20261205;
        await using var postgres = engine == "postgres" ? await Storage.TestPostgres.CreateAsync() : null;
        var settings = SignedRequest.Settings;
        foreach (var (key, value) in postgres?.Settings ?? []) settings[key] = value;
        using var host = new HotlineHost(settings);
        var baseUrl = new Uri(host.StartKestrel());
        using var client = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
        var now = host.Clock.GetUtcNow();

        var failures = new ConcurrentQueue<string>();
        var statuses = new ConcurrentDictionary<int, int>();
        await Parallel.ForEachAsync(Enumerable.Range(0, bodies), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (i, token) =>
        {
            var hostile = HostileBodies.Make(seed, i, now);
            using var request = ToHttp(hostile);
            using var response = await client.SendAsync(request, token);
            statuses.AddOrUpdate((int)response.StatusCode, 1, (_, c) => c + 1);
            if ((int)response.StatusCode >= 500) failures.Enqueue($"{(int)response.StatusCode} for {hostile}");
        });

        TestContext.Out.WriteLine($"{engine}: {bodies} bodies, seed {seed}: " + string.Join(", ", statuses.OrderBy(p => p.Key).Select(p => $"{p.Key}×{p.Value}")));
        Assert.That(failures.Take(5), Is.Empty, $"{failures.Count} answers were 5xx");
        var errors = host.Logs.GetSnapshot().Where(r => r.Level >= LogLevel.Error).Select(r => $"{r.Category}: {r.Message} {r.Exception?.GetType().Name}").Distinct().Take(5);
        Assert.That(errors, Is.Empty, "a sender's bad data is never an error of ours");
        Assert.That(statuses.Keys, Does.Contain(200).And.Contain(400).And.Contain(403), "the generator reaches the parsers and the pipeline");

        using (var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative), ct))
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var good = SignedRequest.Twilio("/webhooks/twilio/messages",
            SignedRequest.FormBody(HotlineHost.SmsForm("+6281277799999", "halo", "SMfuzzafter000000000000000000001")));
        using var answer = await client.SendAsync(good, ct);
        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await answer.Content.ReadAsStringAsync(ct), Does.Contain("<Message>"), "a citizen is still answered");
    }

    private static HttpRequestMessage ToHttp(HostileRequest h)
    {
        if (h.Endpoint == "whatsapp-verify") return new HttpRequestMessage(HttpMethod.Get, "/webhooks/whatsapp?" + h.Query);
        var request = h.Endpoint switch
        {
            "twilio" => SignedRequest.Twilio("/webhooks/twilio/messages", h.Body, h.Sign),
            "twilio-status" => SignedRequest.Twilio("/webhooks/twilio/status" + (h.Query is null ? "" : "?" + h.Query), h.Body, h.Sign),
            "whatsapp-cloud" => SignedRequest.Meta(h.Body, h.Sign),
            _ => SignedRequest.Android(h.Body, h.Timestamp ?? "", h.Sign),
        };
        if (h.ContentType is { } type && request.Content is { } content)
        {
            content.Headers.Remove("Content-Type");
            content.Headers.TryAddWithoutValidation("Content-Type", type);
        }
        return request;
    }
}
