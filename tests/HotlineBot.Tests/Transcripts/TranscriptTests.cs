using System.Globalization;
using System.Xml.Linq;
using Dapper;
using Microsoft.Data.Sqlite;

namespace HotlineBot.Tests.Transcripts;

/// <summary>
/// Runs every golden conversation in <c>testdata/transcripts</c> through the real HTTP pipeline as signed Twilio
/// requests, each in a fresh hotline. <c>UPDATE_GOLDEN=1</c> rewrites the bot's half and the facts for review.
/// </summary>
public sealed class TranscriptTests
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
        using var host = new HotlineHost();

        var turns = new List<Turn>();
        var n = 0;
        foreach (var turn in expected.Turns)
        {
            var sid = string.Create(CultureInfo.InvariantCulture, $"SM{file.GetHashCode(StringComparison.Ordinal):x8}{n++:D4}");
            var form = expected.Channel == "whatsapp"
                ? HotlineHost.WhatsAppForm(expected.From, turn.Input, sid)
                : HotlineHost.SmsForm(expected.From, turn.Input, sid);
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

    /// <summary>A fact about the database after the conversation: <c>cases</c>, <c>case.&lt;column&gt;</c> of the
    /// newest case, or <c>conversation.status</c> of the newest conversation.</summary>
    private static string Fact(HotlineHost host, string key)
    {
        using var connection = new SqliteConnection($"Data Source={host.DatabasePath}");
        return key switch
        {
            "cases" => connection.ExecuteScalar<long>("SELECT count(*) FROM cases").ToString(CultureInfo.InvariantCulture),
            "conversation.status" => connection.ExecuteScalar<string>("SELECT status FROM conversations ORDER BY id DESC LIMIT 1") ?? "(none)",
            _ when key.StartsWith("case.", StringComparison.Ordinal) && Columns.Contains(key[5..]) =>
                connection.ExecuteScalar<string?>($"SELECT {key[5..]} FROM cases ORDER BY id DESC LIMIT 1") ?? "(null)",
            _ => throw new InvalidOperationException($"Unknown transcript fact '{key}'."),
        };
    }

    private static readonly HashSet<string> Columns = ["code", "status", "patient_name", "nik_masked", "address", "needs", "flags"];
}
