using System.Net;
using System.Text;
using System.Text.Json;
using Dapper;
using HotlineBot.Storage;
using Microsoft.Extensions.DependencyInjection;
using HotlineBot.Tests.Webhooks;

namespace HotlineBot.Tests.Storage;

/// <summary>
/// What a turn writes (<c>TurnStore</c>: one statement on PostgreSQL, the stores' own on SQLite) is the same on both
/// engines: a report over WhatsApp Cloud, whose replies are outbox rows (some with buttons), each tied to the message it
/// answers and in the order the dialog said them; the conversation moves on; a NIK in any answer is stored masked; a
/// retried webhook writes nothing and gets the same replies queued once.
/// </summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed class TurnWritesTests(string engine)
{
    private const string Reporter = "6281277770031";
    private HotlineHost _host = null!;

    [SetUp]
    public void SetUp()
    {
        _host = new HotlineHost(SignedRequest.Settings, engine: engine);
        _host.CreateClient().Dispose();
    }

    [TearDown]
    public void TearDown() => _host.Dispose();

    private async Task SayAsync(string id, string text)
    {
        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            @object = "whatsapp_business_account",
            entry = new[] { new { id = "1", changes = new[] { new { field = "messages", value = new
            {
                messaging_product = "whatsapp",
                metadata = new { display_phone_number = "6281100000000", phone_number_id = "1234567890" },
                messages = new[] { new { from = Reporter, id, timestamp = "1700000000", type = "text", text = new { body = text } } },
            } } } } },
        }));
        using var client = _host.CreateClient();
        using var request = SignedRequest.Meta(body);
        using var response = await client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
    }

    private sealed record Row(long Id, string Direction, string Body, string Status, long? InReplyTo, string? Options, string? ProviderMessageId);

    private async Task<List<Row>> MessagesAsync()
    {
        await using var connection = await _host.OpenAsync();
        return (await connection.QueryAsync<Row>("""
            SELECT m.id AS Id, m.direction AS Direction, m.body AS Body, m.status AS Status, m.in_reply_to AS InReplyTo,
                   m.options AS Options, m.provider_message_id AS ProviderMessageId
            FROM messages m JOIN contacts c ON c.id = m.contact_id WHERE c.address = @Address ORDER BY m.id
            """, new { Address = "whatsapp:+" + Reporter })).ToList();
    }

    private async Task<string> StepAsync()
    {
        await using var connection = await _host.OpenAsync();
        return await connection.QuerySingleAsync<string>("SELECT step_id FROM conversations ORDER BY id DESC LIMIT 1");
    }

    [Test]
    public async Task AReportsTurns_StoreTheMessageItsRepliesAndTheStateTogether()
    {
        var steps = new List<string>();
        var answers = new[] { "halo", "Siti Aminah", "3273056010900009", "ds karangrau kec sokaraja", "1", "tidak" };
        for (var i = 0; i < answers.Length; i++)
        {
            await SayAsync($"wamid.TURN{i}", answers[i]);
            steps.Add(await StepAsync());
        }
        Assert.That(steps, Is.Unique, "the conversation moved on with each answer");

        var rows = await MessagesAsync();
        var inbound = rows.Where(r => r.Direction == "in").ToList();
        Assert.That(inbound.Select(r => r.ProviderMessageId), Is.EqualTo(answers.Select((_, i) => $"wamid.TURN{i}")));
        Assert.That(rows.Select(r => r.Body), Has.None.Contains("3273056010900009"), "the NIK is stored masked");
        foreach (var message in inbound)
        {
            var replies = rows.Where(r => r.InReplyTo == message.Id).ToList();
            Assert.That(replies, Is.Not.Empty, $"'{message.Body}' was answered");
            Assert.That(replies.Select(r => r.Status), Is.All.EqualTo("queued"), "WhatsApp Cloud's replies go through the outbox");
            Assert.That(replies.Select(r => r.Id), Is.All.GreaterThan(message.Id));
            // A reply is stored before the next message comes in, and in the order the dialog said them.
            Assert.That(rows.SkipWhile(r => r.Id != message.Id).Skip(1).TakeWhile(r => r.Direction == "out").Select(r => r.Id),
                Is.EqualTo(replies.Select(r => r.Id)));
        }
        // The emergency question ("1" answered the needs) offers two buttons; the confirmation its own two.
        var emergency = rows.Last(r => r.InReplyTo == inbound[4].Id);
        Assert.That(JsonSerializer.Deserialize<string[]>(emergency.Options!), Is.EqualTo(new[] { "Ya", "Tidak" }));
        var confirm = rows.Last(r => r.InReplyTo == inbound[5].Id);
        Assert.That(confirm.Body, Does.StartWith("Cek laporan:"));
        Assert.That(JsonSerializer.Deserialize<string[]>(confirm.Options!), Is.EqualTo(new[] { "Ya, benar", "Ubah" }));
        Assert.That(rows.Where(r => r.Direction == "out" && r.Options is null).Select(r => r.Body), Has.None.StartWith("Cek laporan:"));

        // Meta delivers the last one again: nothing more is stored or queued, and the conversation stays where it is.
        await SayAsync("wamid.TURN5", "tidak");
        Assert.That(await MessagesAsync(), Is.EqualTo(rows));
        Assert.That(await StepAsync(), Is.EqualTo(steps[^1]));
    }

    /// <summary>The store masks a NIK itself, whatever its caller passed (the dialog already masks what it stores).</summary>
    [TestCase(true)]
    [TestCase(false)]
    public async Task ATurnsRows_AreStoredMasked_AsRepliedOrQueued(bool inline)
    {
        var database = _host.Services.GetRequiredService<Database>();
        const long now = 1_796_600_000_000;
        var queued = await database.WriteAsync(async tx =>
        {
            var contact = await _host.Services.GetRequiredService<ContactStore>().UpsertAsync(tx, "tel:+6281277770032", "sms", now, inbound: true);
            return await _host.Services.GetRequiredService<TurnStore>().WriteAsync(tx, new TurnWrite(contact.Id, "twilio", "SMturn1",
                "nik pasien 3273056010900009 ya", now, ["NIK 3273056010900009 dicatat", "Lanjut?"], inline,
                Options: new Dictionary<int, IReadOnlyList<string>> { [1] = ["Ya", "Tidak"] }));
        }, CancellationToken.None);

        await using var connection = await _host.OpenAsync();
        var rows = (await connection.QueryAsync<(long Id, long ContactId, string Direction, string Body, string Status, long? InReplyTo, string? Options, string Kind, long? DueAt)>(
            "SELECT id, contact_id, direction, body, status, in_reply_to, options, kind, due_at FROM messages ORDER BY id")).ToList();
        Assert.That(rows.Select(r => r.Body), Is.EqualTo(new[] { "nik pasien 3273********0009 ya", "NIK 3273********0009 dicatat", "Lanjut?" }));
        Assert.That(rows.Select(r => r.Direction), Is.EqualTo(new[] { "in", "out", "out" }));
        Assert.That(rows.Skip(1).Select(r => r.InReplyTo), Is.All.EqualTo(rows[0].Id));
        Assert.That(rows.Skip(1).Select(r => r.Kind), Is.All.EqualTo("reply"));
        Assert.That(rows.Skip(1).Select(r => r.Status), Is.All.EqualTo(inline ? "replied" : "queued"));
        Assert.That(rows.Skip(1).Select(r => r.DueAt), Is.All.EqualTo(inline ? null : now));
        Assert.That(rows.Skip(1).Select(r => r.Options), Is.EqualTo(inline ? new string?[] { null, null } : [null, "[\"Ya\",\"Tidak\"]"]));
        Assert.That(queued, Is.EqualTo(inline ? Array.Empty<QueuedMessage>() : rows.Skip(1).Select(r => new QueuedMessage(r.Id, rows[0].ContactId))));
    }
}
