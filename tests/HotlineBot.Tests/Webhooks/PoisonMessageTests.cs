using System.Globalization;
using System.Net;
using System.Text;
using Dapper;
using HotlineBot.Storage;
using HotlineBot.Webhooks;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests.Webhooks;

/// <summary>
/// A message whose processing fails every time is never left unanswered nor retried forever. Twilio does not retry a
/// failed webhook, so its message is parked at once and the apology rides the answer; a provider that retries (the
/// Android gateway, Meta) gets 503 until the third failure, then the apology goes through the outbox. Parked messages
/// are kept with the NIK masked and shown to officers. The failure is real: a trigger in the test's database refuses
/// that one message id.
/// </summary>
public sealed class PoisonMessageTests
{
    private static async Task Poison(HotlineHost host, string providerMessageId)
    {
        await using var connection = new SqliteConnection($"Data Source={host.DatabasePath}");
        await connection.ExecuteAsync($"""
            CREATE TRIGGER poison BEFORE INSERT ON messages WHEN NEW.provider_message_id = '{providerMessageId}'
            BEGIN SELECT RAISE(ABORT, 'poisoned for the test'); END
            """);
    }

    /// <summary>On SQLite a group commit whose write fails is rolled back and runs again with a savepoint per write: every
    /// other webhook of the batch runs its whole turn a second time. Reports in a burst, with messages failing among
    /// them, must still each count once: one case, one stored message per SMS, one reply each, two partner
    /// notifications, and every failing message parked and answered.</summary>
    [Test]
    public async Task ABurstOfReports_WithFailingMessagesAmongThem_EachReportCountsOnce()
    {
        var (twilio, host) = await HotlineHost.WithFakeTwilioAsync();
        await using var _ = twilio;
        using var __ = host;
        host.CreateClient().Dispose();
        await using (var connection = new SqliteConnection($"Data Source={host.DatabasePath}"))
            await connection.ExecuteAsync("""
                CREATE TRIGGER poison BEFORE INSERT ON messages WHEN NEW.provider_message_id LIKE 'SMpoison%'
                BEGIN SELECT RAISE(ABORT, 'poisoned for the test'); END
                """);
        const int Reports = 20, Failing = 10;

        async Task<string> ReportAsync(int i)
        {
            var reply = "";
            foreach (var text in new[] { "halo", $"Warga {(char)('A' + i)}{(char)('a' + i)}", string.Create(CultureInfo.InvariantCulture, $"327305601090{i + 1:D4}"),
                         "ds karangrau rt2/3 kec sokaraja", "1", "tidak", "ya" })
                reply = await host.SmsAsync(string.Create(CultureInfo.InvariantCulture, $"+62812555000{i:D2}"), text);
            return reply;
        }
        async Task<string> FailingAsync(int i)
        {
            await Task.Delay(i * 15);
            using var response = await host.PostTwilioAsync("/webhooks/twilio/messages",
                HotlineHost.SmsForm("+6281255509999", "tolong pak", string.Create(CultureInfo.InvariantCulture, $"SMpoison{i:D24}")));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            return await response.Content.ReadAsStringAsync();
        }
        var reports = Enumerable.Range(0, Reports).Select(ReportAsync).ToList();
        var failing = Enumerable.Range(0, Failing).Select(FailingAsync).ToList();
        var confirmations = await Task.WhenAll(reports);
        var apologies = await Task.WhenAll(failing);

        var database = (SqliteDatabase)host.Services.GetRequiredService<Database>();
        Assert.That(database.BatchesRunAgain, Is.GreaterThan(0), "batches ran again");
        Assert.That(confirmations, Is.All.Contains("Laporan tercatat dgn kode"));
        Assert.That(apologies, Is.All.Contains("tidak dapat kami baca"));
        Assert.That(await host.Services.GetRequiredService<InboundFailureStore>().ParkedAsync(50, CancellationToken.None), Has.Count.EqualTo(Failing));
        await using var db = await host.OpenAsync();
        Assert.That(await db.ExecuteScalarAsync<long>("SELECT count(*) FROM cases"), Is.EqualTo(Reports));
        Assert.That(await db.ExecuteScalarAsync<long>("SELECT count(*) FROM messages WHERE direction = 'in'"), Is.EqualTo(Reports * 7));
        Assert.That(await db.ExecuteScalarAsync<long>("""
            SELECT count(*) FROM (SELECT in_reply_to, body FROM messages WHERE in_reply_to IS NOT NULL GROUP BY in_reply_to, body HAVING count(*) > 1)
            """), Is.Zero, "no reply twice");
        Assert.That(await db.ExecuteScalarAsync<long>("SELECT count(*) FROM messages WHERE kind = 'partner_notification'"), Is.EqualTo(Reports * 2));
        await host.RunTimersAsync();
        for (var i = 0; i < 100 && twilio.Requests.Count(r => r.Form["Body"].StartsWith("KASUS", StringComparison.Ordinal)) < Reports * 2; i++) await Task.Delay(100);
        Assert.That(twilio.Requests.Count(r => r.Form["Body"].StartsWith("KASUS", StringComparison.Ordinal)), Is.EqualTo(Reports * 2), "each partner told once");
    }

    [Test]
    public async Task Twilio_AMessageThatFails_IsParkedAtOnce_AnsweredInline_AndShownToOfficers()
    {
        const string sid = "SMpoison000000000000000000000001";
        using var host = new HotlineHost();
        host.CreateClient().Dispose();
        await Poison(host, sid);
        var form = HotlineHost.SmsForm("+6281277770201", "nama pasien Budi, NIK 3302014501900003", sid);

        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var response = await host.PostTwilioAsync("/webhooks/twilio/messages", form);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "Twilio would not retry a 503: the citizen is answered now");
            Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("tidak dapat kami baca"));
        }

        var parked = await host.Services.GetRequiredService<InboundFailureStore>().ParkedAsync(10, CancellationToken.None);
        Assert.That(parked, Has.Count.EqualTo(1));
        Assert.That(parked[0].ProviderMessageId, Is.EqualTo(sid));
        Assert.That(parked[0].ContactAddress, Is.EqualTo("tel:+6281277770201"));
        Assert.That(parked[0].Body, Does.Contain("Budi").And.Not.Contain("3302014501900003"), "kept for the officers, NIK masked");

        var page = await Dashboard.HttpSignIn.GetAsOfficerAsync(host, "/pesan");
        Assert.That(page, Does.Contain("tidak dapat diproses").And.Contain("6281277770201").And.Contain("Budi"));

        Assert.That(await host.SmsAsync("+6281277770201", "halo"), Is.Not.Empty, "the citizen's next message goes through");
    }

    [Test]
    public async Task ARetryingProvider_Gets503UntilTheThirdFailure_ThenTheApologyGoesThroughTheOutbox()
    {
        const string envelope = "poison-envelope-1";
        await using var gateway = await FakeSmsGateway.StartAsync();
        var settings = SignedRequest.Settings;
        settings["AndroidSms:BaseUrl"] = gateway.BaseUrl;
        using var host = new HotlineHost(settings);
        host.CreateClient().Dispose();
        await Poison(host, envelope);
        var body = Encoding.UTF8.GetBytes($$$"""{"event":"sms:received","id":"{{{envelope}}}","payload":{"messageId":"m1","message":"tolong","sender":"+6281277770202"}}""");

        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < InboundFailureStore.ParkAfter + 1; attempt++)
        {
            using var client = host.CreateClient();
            using var request = SignedRequest.Android(body, host.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
            using var response = await client.SendAsync(request);
            statuses.Add(response.StatusCode);
        }
        await host.RunTimersAsync();     // the outbox sends what was queued

        Assert.That(statuses, Is.EqualTo(new[] { HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK, HttpStatusCode.OK }));
        Assert.That(gateway.Requests.Select(r => r.Text).Count(b => b.Contains("tidak dapat kami baca", StringComparison.Ordinal)), Is.EqualTo(1),
            "one apology, through the gateway");
        Assert.That(await host.Services.GetRequiredService<InboundFailureStore>().ParkedAsync(10, CancellationToken.None), Has.Count.EqualTo(1));
    }
}
