using System.Globalization;
using System.Xml.Linq;
using Dapper;
using Microsoft.Data.Sqlite;

namespace HotlineBot.Tests.Transcripts;

/// <summary>
/// Runs every golden conversation in <c>testdata/transcripts</c> through the real HTTP pipeline as signed Twilio
/// requests, each in a fresh hotline. A <c>&gt; ~ wait 00:16:00</c> turn lets time pass and fires the timers job; its
/// replies are what the outbox queued. <c>UPDATE_GOLDEN=1</c> rewrites the bot's half and the facts for review.
/// </summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed class TranscriptTests(string engine)
{
    private static string Folder => RepoFiles.Path("tests", "HotlineBot.Tests", "testdata", "transcripts");

    public static IEnumerable<TestCaseData> Files() =>
        Directory.GetFiles(Folder, "*.txt").Order(StringComparer.Ordinal)
            .Select(f => new TestCaseData(Path.GetFileName(f)).SetName(Path.GetFileNameWithoutExtension(f)));

    [Test]
    public void Folder_HoldsAtLeastEightTranscripts() => Assert.That(Files().Count(), Is.GreaterThanOrEqualTo(8));

    [TestCaseSource(nameof(Files))]
    public async Task Run(string file)
    {
        var path = Path.Combine(Folder, file);
        var expected = Transcript.Parse(await File.ReadAllTextAsync(path));
        using var host = new HotlineHost(engine: engine);

        var turns = new List<Turn>();
        var n = 0;
        foreach (var turn in expected.Turns)
        {
            if (turn.Input.StartsWith("~ wait ", StringComparison.Ordinal))
            {
                // Time passes with no message: the clock moves and the timers job runs; what it queued is shown.
                host.Clock.Advance(TimeSpan.Parse(turn.Input["~ wait ".Length..], CultureInfo.InvariantCulture));
                turns.Add(turn with { Replies = await host.RunTimersAsync() });
                continue;
            }
            var sid = string.Create(CultureInfo.InvariantCulture, $"SM{file.GetHashCode(StringComparison.Ordinal):x8}{n++:D4}");
            var form = expected.Channel == "whatsapp"
                ? HotlineHost.WhatsAppForm(expected.From, turn.Input, sid)
                : HotlineHost.SmsForm(expected.From, turn.Input, sid);
            if (turn.Input.StartsWith("@location ", StringComparison.Ordinal)) form = LocationForm(form, turn.Input);
            using var response = await host.PostTwilioAsync("/webhooks/twilio/messages", form);
            Assert.That((int)response.StatusCode, Is.EqualTo(200), $"turn {n}: {turn.Input}");
            var twiml = XDocument.Parse(await response.Content.ReadAsStringAsync());
            turns.Add(turn with { Replies = twiml.Root!.Elements("Message").Select(m => m.Value).ToList() });
            host.Clock.Advance(TimeSpan.FromSeconds(30));
        }
        var facts = expected.Facts.Select(f => new KeyValuePair<string, string>(f.Key, Fact(host, f.Key))).ToList();
        var actual = expected with { Turns = turns, Facts = facts };

        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            await File.WriteAllTextAsync(path, actual.Render());
            Assert.Ignore("golden file rewritten: review the diff");
        }
        Assert.That(actual.Render(), Is.EqualTo(expected.Render()));
    }

    /// <summary><c>@location -7.43 109.24 Rumah Bu Siti</c>: a WhatsApp location message (empty body, coordinates, label).</summary>
    private static List<KeyValuePair<string, string>> LocationForm(List<KeyValuePair<string, string>> form, string input)
    {
        var parts = input.Split(' ', 4);
        var located = form.Where(p => p.Key is not ("Body" or "MessageType")).ToList();
        located.AddRange([new("Body", ""), new("MessageType", "location"), new("Latitude", parts[1]), new("Longitude", parts[2])]);
        if (parts.Length > 3) located.Add(new("Label", parts[3]));
        return located;
    }

    /// <summary>A fact about the database after the conversation: <c>cases</c>, <c>case.&lt;column&gt;</c> of the
    /// newest case, <c>conversation.status</c> of the newest conversation, <c>contact.language</c> or
    /// <c>contact.opted_out</c> of the sender.</summary>
    private static string Fact(HotlineHost host, string key)
    {
        using var connection = host.OpenAsync().GetAwaiter().GetResult();
        return key switch
        {
            "cases" => connection.ExecuteScalar<long>("SELECT count(*) FROM cases").ToString(CultureInfo.InvariantCulture),
            "conversation.status" => connection.ExecuteScalar<string>("SELECT status FROM conversations ORDER BY id DESC LIMIT 1") ?? "(none)",
            "contact.language" => connection.ExecuteScalar<string>("SELECT language FROM contacts ORDER BY id LIMIT 1") ?? "(none)",
            "contact.opted_out" => connection.ExecuteScalar<long>("SELECT opted_out FROM contacts ORDER BY id LIMIT 1").ToString(CultureInfo.InvariantCulture),
            _ when key.StartsWith("case.", StringComparison.Ordinal) && Columns.Contains(key[5..]) =>
                connection.ExecuteScalar<object?>($"SELECT {key[5..]} FROM cases ORDER BY id DESC LIMIT 1") is { } v and not DBNull
                    ? Convert.ToString(v, CultureInfo.InvariantCulture) ?? ""
                    : "(null)",
            _ => throw new InvalidOperationException($"Unknown transcript fact '{key}'."),
        };
    }

    private static readonly HashSet<string> Columns =
        ["code", "status", "patient_name", "nik_masked", "address", "latitude", "longitude", "district_code", "village_code", "needs", "flags", "details"];
}
