using Dapper;
using Microsoft.Data.Sqlite;

namespace HotlineBot.Tests.Transcripts;

/// <summary>
/// The corpus of messy citizens (<c>testdata/corpus/lapor-sakit.txt</c>) through the real HTTP pipeline: every persona
/// ends with a case code, or a handoff that alerted the duty officers, or a cancellation they asked for; nobody is
/// asked the same question more than three times in a row.
/// </summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed class CitizenCorpusTests(string engine)
{
    private const string DutyOfficer = "+6281100000999";
    private const int MaxReAsks = 3;

    public sealed record Persona(string Name, IReadOnlyList<string> Messages)
    {
        public override string ToString() => Name;
    }

    public static IEnumerable<Persona> Personas()
    {
        var lines = File.ReadAllLines(RepoFiles.Path("tests", "HotlineBot.Tests", "testdata", "corpus", "lapor-sakit.txt"));
        string? name = null;
        var messages = new List<string>();
        foreach (var line in lines.Append("## end"))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                if (name is not null) yield return new Persona(name, messages);
                (name, messages) = (line[3..], []);
            }
            else if (name is not null && line.Length > 0 && !line.StartsWith('#')) messages.Add(line);
        }
    }

    [Test]
    public void Corpus_HoldsManyPersonas() => Assert.That(Personas().Count(), Is.GreaterThanOrEqualTo(12));

    [TestCaseSource(nameof(Personas))]
    public async Task Persona_EndsWithACaseOrAnOfficer(Persona persona)
    {
        using var host = new HotlineHost(new() { ["Routing:OfficerContacts:0"] = DutyOfficer }, engine: engine);
        const string from = "+6281233330001";
        await using var db = await host.OpenAsync();
        var last = "";
        var (step, sameStep, worst) = ("", 0, 0);
        foreach (var text in persona.Messages)
        {
            last = await host.SmsAsync(from, text);
            var now = await db.QuerySingleOrDefaultAsync<(string StepId, string Status)>(
                "SELECT step_id, status FROM conversations ORDER BY id DESC LIMIT 1");
            sameStep = now.Status == "active" && now.StepId == step ? sameStep + 1 : 0;
            step = now.StepId;
            worst = Math.Max(worst, sameStep);
        }

        var cases = (await db.QueryAsync<(string Code, string Status)>("SELECT code, status FROM cases ORDER BY id")).ToList();
        var conversation = await db.ExecuteScalarAsync<string>("SELECT status FROM conversations ORDER BY id DESC LIMIT 1");
        var alerts = await db.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM messages m JOIN contacts c ON c.id = m.contact_id WHERE c.address = @A AND m.kind = 'officer_alert'", new { A = "tel:" + DutyOfficer });
        var end = cases.Exists(c => c.Status is not ("handoff" or "cancelled") && last.Contains(c.Code, StringComparison.Ordinal)) ? "case code"
            : cases.Exists(c => c.Status == "handoff") && alerts > 0 ? "officer alerted"
            : conversation == "cancelled" && cases.Count == 0 ? "cancelled by the citizen"
            : null;
        TestContext.Out.WriteLine($"persona '{persona.Name}': {persona.Messages.Count} turns, at most {worst} re-asks at one step, ended: {end ?? "NOT ENDED"}");

        Assert.That(end, Is.Not.Null, $"'{persona.Name}' was left hanging; last reply: {last}");
        Assert.That(worst, Is.LessThanOrEqualTo(MaxReAsks), $"'{persona.Name}' was asked one question {worst + 1} times");
    }
}
