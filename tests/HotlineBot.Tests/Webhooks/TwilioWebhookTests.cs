using System.Net;
using System.Xml.Linq;
using Dapper;
using Microsoft.Data.Sqlite;

namespace HotlineBot.Tests.Webhooks;

public sealed class TwilioWebhookTests
{
    private const string Path = "/webhooks/twilio/messages";

    private static async Task<(HttpStatusCode Status, string Body)> Send(HotlineHost host, List<KeyValuePair<string, string>> form,
        string? signature = null, bool sign = true)
    {
        using var response = await host.PostTwilioAsync(Path, form, signature, sign);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static long Count(HotlineHost host, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={host.DatabasePath}");
        return connection.ExecuteScalar<long>(sql);
    }

    private static readonly string[] Report = ["halo", "Siti Aminah", "3273056010900009", "Ds Karangrau RT 2/3 Kec Sokaraja", "2,5", "ya"];

    [Test]
    public async Task Post_SignedSms_RepliesWithTwimlAfterCommitting()
    {
        using var host = new HotlineHost();

        using var response = await host.PostTwilioAsync(Path, HotlineHost.SmsForm("+6281234567890", "halo", "SM0001"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/xml"));
        var message = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!.Element("Message")!.Value;
        Assert.That(message, Does.EndWith("Siapa nama pasien/warga yang sakit?"));
        Assert.That(Count(host, "SELECT count(*) FROM messages WHERE direction = 'out' AND status = 'replied'"), Is.EqualTo(1));
    }

    [Test]
    public async Task Post_ForgedSignature_Is403AndStoresNothing()
    {
        using var host = new HotlineHost();

        var (status, _) = await Send(host, HotlineHost.SmsForm("+6281234567890", "halo", "SM0001"), signature: "RSOYDt4T1cUTdK1PDd93/VVr8B8=");

        Assert.That(status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(Count(host, "SELECT count(*) FROM messages"), Is.Zero);
    }

    [Test]
    public async Task Post_MissingSignature_Is403()
    {
        using var host = new HotlineHost();

        var (status, _) = await Send(host, HotlineHost.SmsForm("+6281234567890", "halo", "SM0001"), sign: false);

        Assert.That(status, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Post_SignedForAnotherUrl_Is403()
    {
        using var host = new HotlineHost();
        var form = HotlineHost.SmsForm("+6281234567890", "halo", "SM0001");
        var signature = HotlineBot.Channels.Twilio.TwilioSignature.Compute(HotlineHost.AuthToken, "https://evil.example/webhooks/twilio/messages", form);

        var (status, _) = await Send(host, form, signature);

        Assert.That(status, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Post_SignedWithForwardedHostWhenNoPublicUrlIsSet_Validates()
    {
        using var host = new HotlineHost(new() { ["Hotline:PublicBaseUrl"] = null });
        var form = HotlineHost.SmsForm("+6281234567890", "halo", "SM0001");
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "Hotline.Dinsos.example:8443");
        request.Headers.Add("X-Twilio-Signature",
            HotlineBot.Channels.Twilio.TwilioSignature.Compute(HotlineHost.AuthToken, "https://Hotline.Dinsos.example:8443" + Path, form));

        using var response = await client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Post_BodyOverTheLimit_Is413()
    {
        using var host = new HotlineHost();

        var (status, _) = await Send(host, HotlineHost.SmsForm("+6281234567890", new string('a', 70_000), "SM0001"));

        Assert.That(status, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
    }

    [Test]
    public async Task Post_NotAForm_Is415()
    {
        using var host = new HotlineHost();
        using var client = host.CreateClient();
        using var content = new StringContent("{\"Body\":\"halo\"}", System.Text.Encoding.UTF8, "application/json");

        using var response = await client.PostAsync(new Uri(Path, UriKind.Relative), content);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
    }

    [Test]
    public async Task Post_SignedButWithoutMessageSid_Is400()
    {
        using var host = new HotlineHost();
        var form = HotlineHost.SmsForm("+6281234567890", "halo", "SM0001").Where(p => p.Key != "MessageSid").ToList();

        var (status, _) = await Send(host, form);

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Post_RetriedMessageSid_ReturnsIdenticalTwimlAndCreatesNoSecondCase()
    {
        using var host = new HotlineHost();
        var replies = new List<string>();
        for (var i = 0; i < Report.Length; i++)
            replies.Add((await Send(host, HotlineHost.SmsForm("+6281234567890", Report[i], $"SM{i:D4}"))).Body);
        var messagesBefore = Count(host, "SELECT count(*) FROM messages");
        var eventsBefore = Count(host, "SELECT count(*) FROM case_events");

        var retry = await Send(host, HotlineHost.SmsForm("+6281234567890", Report[^1], $"SM{Report.Length - 1:D4}"));
        var earlierRetry = await Send(host, HotlineHost.SmsForm("+6281234567890", Report[2], "SM0002"));

        Assert.That(retry.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(retry.Body, Is.EqualTo(replies[^1]));
        Assert.That(retry.Body, Does.Contain("kode"));
        Assert.That(earlierRetry.Body, Is.EqualTo(replies[2]), "an old retry replays its own reply, not the current step");
        Assert.That(Count(host, "SELECT count(*) FROM cases"), Is.EqualTo(1));
        Assert.That(Count(host, "SELECT count(*) FROM case_events"), Is.EqualTo(eventsBefore));
        Assert.That(Count(host, "SELECT count(*) FROM case_assignments"), Is.GreaterThan(0), "the case was routed once");
        Assert.That(Count(host, "SELECT count(*) FROM messages"), Is.EqualTo(messagesBefore));
    }

    [Test]
    public async Task Post_FiftyConcurrentSendersWithInterleavedRetries_CreatesExactlyFiftyCases()
    {
        using var host = new HotlineHost();
        const int senders = 50;

        async Task Converse(int sender)
        {
            var from = $"+62812{sender:D7}";
            for (var i = 0; i < Report.Length; i++)
            {
                // Fifty different patients: the same NIK would rightly join one case.
                var text = i == 2 ? $"327305601090{sender + 1:D4}" : Report[i];
                var form = HotlineHost.SmsForm(from, text, $"SM{sender:D3}{i:D3}");
                var first = Send(host, form);
                var retry = Send(host, form);      // Twilio retrying while the first attempt is still in flight
                var results = await Task.WhenAll(first, retry);
                Assert.That(results.Select(r => r.Status), Is.All.EqualTo(HttpStatusCode.OK));
                Assert.That(results[1].Body, Is.EqualTo(results[0].Body));
            }
        }

        await Task.WhenAll(Enumerable.Range(0, senders).Select(Converse));

        Assert.That(Count(host, "SELECT count(*) FROM cases"), Is.EqualTo(senders));
        Assert.That(Count(host, "SELECT count(DISTINCT reporter_contact_id) FROM cases"), Is.EqualTo(senders));
        Assert.That(Count(host, "SELECT count(*) FROM messages WHERE direction = 'in'"), Is.EqualTo(senders * Report.Length));
        Assert.That(Count(host, "SELECT count(*) FROM conversations WHERE status = 'completed'"), Is.EqualTo(senders));
    }
}
