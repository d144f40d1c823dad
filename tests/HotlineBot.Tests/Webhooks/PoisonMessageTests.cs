using System.Net;
using Dapper;
using HotlineBot.Storage;
using HotlineBot.Webhooks;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests.Webhooks;

/// <summary>
/// A message whose processing fails every time is retried by the provider a few times (503 with Retry-After), then
/// parked: acknowledged with a plain apology, kept (NIK masked) and shown to the officers, never retried forever.
/// The failure is real: a trigger in the test's database refuses that one message id.
/// </summary>
public sealed class PoisonMessageTests
{
    private const string Poison = "SMpoison000000000000000000000001";

    [Test]
    public async Task AMessageThatAlwaysFails_IsRetriedThenParked_AnsweredAndShownToOfficers()
    {
        using var host = new HotlineHost();
        host.CreateClient().Dispose();
        await using (var connection = new SqliteConnection($"Data Source={host.DatabasePath}"))
            await connection.ExecuteAsync($"""
                CREATE TRIGGER poison BEFORE INSERT ON messages WHEN NEW.provider_message_id = '{Poison}'
                BEGIN SELECT RAISE(ABORT, 'poisoned for the test'); END
                """);
        var form = HotlineHost.SmsForm("+6281277770201", "nama pasien Budi, NIK 3302014501900003", Poison);

        var statuses = new List<HttpStatusCode>();
        string last = "";
        for (var attempt = 0; attempt < InboundFailureStore.ParkAfter + 2; attempt++)
        {
            using var response = await host.PostTwilioAsync("/webhooks/twilio/messages", form);
            statuses.Add(response.StatusCode);
            last = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                Assert.That(response.Headers.RetryAfter, Is.Not.Null, "a retry is asked for, with a delay");
        }

        Assert.That(statuses, Is.EqualTo(
            Enumerable.Repeat(HttpStatusCode.ServiceUnavailable, InboundFailureStore.ParkAfter - 1).Concat(Enumerable.Repeat(HttpStatusCode.OK, 3))),
            "retried until parked, then acknowledged every time");
        Assert.That(last, Does.Contain("tidak dapat kami baca"), "the citizen hears what to do");

        var parked = await host.Services.GetRequiredService<InboundFailureStore>().ParkedAsync(10, CancellationToken.None);
        Assert.That(parked, Has.Count.EqualTo(1));
        Assert.That(parked[0].ProviderMessageId, Is.EqualTo(Poison));
        Assert.That(parked[0].ContactAddress, Is.EqualTo("tel:+6281277770201"));
        Assert.That(parked[0].Body, Does.Contain("Budi").And.Not.Contain("3302014501900003"), "kept for the officers, NIK masked");
        Assert.That(parked[0].Attempts, Is.EqualTo(InboundFailureStore.ParkAfter + 2));

        // The officer sees it on the message queue page.
        var page = await Dashboard.HttpSignIn.GetAsOfficerAsync(host, "/pesan");
        Assert.That(page, Does.Contain("tidak dapat diproses").And.Contain("6281277770201").And.Contain("Budi"));

        // A good message from the same citizen is processed as usual.
        Assert.That(await host.SmsAsync("+6281277770201", "halo"), Is.Not.Empty);
    }
}
