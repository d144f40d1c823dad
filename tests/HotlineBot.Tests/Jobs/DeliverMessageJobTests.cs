using System.Text;
using Dapper;
using HotlineBot.Jobs;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests.Jobs;

/// <summary>The outbox sender against Twilio's REST API on loopback (real HTTP, basic auth checked).</summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed class DeliverMessageJobTests(string engine)
{
    private FakeTwilio _twilio = null!;
    private HotlineHost _host = null!;

    [SetUp]
    public async Task SetUp()
    {
        _twilio = await FakeTwilio.StartAsync();
        _host = new HotlineHost(new() { ["Twilio:ApiBaseUrl"] = _twilio.BaseUrl }, engine: engine);
        _host.CreateClient().Dispose();
    }

    [TearDown]
    public async Task TearDown()
    {
        _host.Dispose();
        await _twilio.DisposeAsync();
    }

    private async Task<long> QueueAsync(string address = "tel:+6281234567890", string body = "Kami masih menunggu jawaban Anda")
    {
        await using var connection = await _host.OpenAsync();
        var contact = await connection.ExecuteScalarAsync<long>(
            // The contact wrote a minute ago: a WhatsApp message to them is inside the 24-hour window.
            "INSERT INTO contacts (address, channel, last_inbound_at, created_at, updated_at) VALUES (@Address, 'sms', @Wrote, 0, 0) ON CONFLICT (address) DO UPDATE SET updated_at = 0 RETURNING id",
            new { Address = address, Wrote = _host.Clock.GetUtcNow().AddMinutes(-1).ToUnixTimeMilliseconds() });
        return await connection.ExecuteScalarAsync<long>(
            "INSERT INTO messages (contact_id, direction, provider, body, status, due_at, created_at) VALUES (@Contact, 'out', 'twilio', @Body, 'queued', 0, 0) RETURNING id",
            new { Contact = contact, Body = body });
    }

    private async Task DeliverAsync(long id)
    {
        using var scope = _host.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<DeliverMessageJob>().RunAsync(id, CancellationToken.None);
    }

    private async Task<(string Status, long Attempts, long? DueAt, string? ProviderId, string? Error)> RowAsync(long id)
    {
        await using var connection = await _host.OpenAsync();
        return await connection.QuerySingleAsync<(string, long, long?, string?, string?)>(
            "SELECT status, attempts, due_at, provider_message_id, last_error FROM messages WHERE id = @Id", new { Id = id });
    }

    [Test]
    public async Task Deliver_Accepted_MarksSentWithTwiliosSid()
    {
        var id = await QueueAsync();

        await DeliverAsync(id);

        var request = _twilio.Requests.Single();
        Assert.That(request.Path, Is.EqualTo($"/2010-04-01/Accounts/{HotlineHost.AccountSid}/Messages.json"));
        Assert.That(request.Authorization, Is.EqualTo("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{HotlineHost.AccountSid}:{HotlineHost.AuthToken}"))));
        Assert.That(request.Form["To"], Is.EqualTo("+6281234567890"));
        Assert.That(request.Form["From"], Is.EqualTo("+6281100000000"));
        Assert.That(request.Form["Body"], Is.EqualTo("Kami masih menunggu jawaban Anda"));
        var row = await RowAsync(id);
        Assert.That(row.Status, Is.EqualTo("sent"));
        Assert.That(row.ProviderId, Does.StartWith("SM"));
    }

    [Test]
    public async Task Deliver_WhatsAppContact_SendsFromTheWhatsAppSender()
    {
        var id = await QueueAsync("whatsapp:+6285176810035");

        await DeliverAsync(id);

        Assert.That(_twilio.Requests.Single().Form["To"], Is.EqualTo("whatsapp:+6285176810035"));
        Assert.That(_twilio.Requests.Single().Form["From"], Is.EqualTo("whatsapp:+14155238886"));
    }

    [Test]
    public async Task Deliver_Sms_IsKeptInGsm7ButWhatsAppIsNot()
    {
        var sms = await QueueAsync(body: "Jum\u2019at 08.00\u201310.00\u2026");
        var wa = await QueueAsync("whatsapp:+6285176810035", "Jum\u2019at 08.00\u201310.00\u2026");

        await DeliverAsync(sms);
        await DeliverAsync(wa);

        Assert.That(_twilio.Requests.Select(r => r.Form["Body"]), Is.EqualTo(new[] { "Jum'at 08.00-10.00...", "Jum\u2019at 08.00\u201310.00\u2026" }));
    }

    [Test]
    public async Task Deliver_Twice_SendsOnce()
    {
        var id = await QueueAsync();

        await Task.WhenAll(DeliverAsync(id), DeliverAsync(id));
        await DeliverAsync(id);

        Assert.That(_twilio.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Deliver_ServerError_StaysQueuedForALaterTry()
    {
        _twilio.Then(500, "<html>oops</html>");
        var id = await QueueAsync();

        await DeliverAsync(id);

        var row = await RowAsync(id);
        Assert.That(row.Status, Is.EqualTo("queued"));
        Assert.That(row.Attempts, Is.EqualTo(1));
        Assert.That(row.DueAt, Is.GreaterThan(_host.Clock.GetUtcNow().ToUnixTimeMilliseconds()));
        Assert.That(_twilio.Requests, Has.Count.EqualTo(1), "a POST that may have sent is not retried by the HTTP client");
    }

    [Test]
    public async Task Deliver_TooManyRequests_HonoursRetryAfter()
    {
        _twilio.Then(429, """{"code":20429,"message":"Too Many Requests"}""", retryAfter: "120");
        var id = await QueueAsync();

        await DeliverAsync(id);

        var row = await RowAsync(id);
        Assert.That(row.Status, Is.EqualTo("queued"));
        Assert.That(row.DueAt, Is.EqualTo(_host.Clock.GetUtcNow().AddSeconds(120).ToUnixTimeMilliseconds()));
    }

    [Test]
    public async Task Deliver_AfterAnOutage_DeliversExactlyOnce()
    {
        _twilio.Then(500, "{}");
        _twilio.Then(503, "{}");
        var id = await QueueAsync();

        for (var i = 0; i < 3; i++)
        {
            await DeliverAsync(id);
            _host.Clock.Advance(TimeSpan.FromHours(1));
            using var scope = _host.Services.CreateScope();
            foreach (var due in await scope.ServiceProvider.GetRequiredService<SweepOutboxJob>().RunAsync(CancellationToken.None))
                Assert.That(due, Is.EqualTo(id));
        }

        Assert.That((await RowAsync(id)).Status, Is.EqualTo("sent"));
        Assert.That(_twilio.Requests, Has.Count.EqualTo(3));
    }

    [TestCase(21211, "failed", TestName = "Deliver_InvalidNumber_FailsForGood")]
    [TestCase(63024, "failed", TestName = "Deliver_InvalidWhatsAppRecipient_FailsForGood")]
    [TestCase(21610, "suppressed", TestName = "Deliver_RecipientSentStop_IsSuppressedAndTheContactOptedOut")]
    public async Task Deliver_PermanentError(int code, string status)
    {
        _twilio.Then(400, $$"""{"code":{{code}},"message":"no","status":400}""");
        var id = await QueueAsync();

        await DeliverAsync(id);
        await DeliverAsync(id);

        Assert.That((await RowAsync(id)).Status, Is.EqualTo(status));
        Assert.That((await RowAsync(id)).Error, Does.Contain(code.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(_twilio.Requests, Has.Count.EqualTo(1));
        if (code == 21610)
        {
            await using var connection = await _host.OpenAsync();
            Assert.That(await connection.ExecuteScalarAsync<long>("SELECT opted_out FROM contacts"), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Deliver_ToAnOptedOutContact_SendsNothing()
    {
        var id = await QueueAsync();
        await using (var connection = await _host.OpenAsync())
            await connection.ExecuteAsync("UPDATE contacts SET opted_out = 1");

        await DeliverAsync(id);

        Assert.That((await RowAsync(id)).Status, Is.EqualTo("suppressed"));
        Assert.That(_twilio.Requests, Is.Empty);
    }

    [Test]
    public async Task Deliver_ALaterMessage_WaitsForTheEarlierOne()
    {
        _twilio.Then(500, "{}");
        var first = await QueueAsync(body: "satu");
        var second = await QueueAsync(body: "dua");

        await DeliverAsync(first);
        await DeliverAsync(second);

        Assert.That((await RowAsync(second)).Status, Is.EqualTo("queued"));
        Assert.That(_twilio.Requests.Select(r => r.Form["Body"]), Is.EqualTo(new[] { "satu" }));
    }
}
