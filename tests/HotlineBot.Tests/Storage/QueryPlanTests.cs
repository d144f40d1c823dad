using System.Text.RegularExpressions;
using Dapper;
using HotlineBot.Jobs;
using HotlineBot.Storage;
using HotlineBot.Tests.Dashboard;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests.Storage;

/// <summary>
/// Every statement SQLite's one writer runs for a report, its routing, the partners' notifications and a partner's
/// status code costs the same on the first day and after a year: none reads a whole table that grows, or a contact's
/// whole message history (a partner gets thousands of messages). The writer runs every write in turn, so one such
/// statement slows every webhook as the history grows. Checked on the plans SQLite makes for the texts the writer kept.
/// </summary>
public sealed partial class QueryPlanTests
{
    /// <summary>Tables whose rows stay few (settings and people the office adds), which a plan may read whole.</summary>
    private static readonly string[] SmallTables = ["partners", "users", "schema_migrations", "pacing", "key_ring"];

    [Test]
    public async Task TheWritersStatements_ForAReportItsRoutingAndItsNotifications_NeverReadWhatGrows()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        using var host = new HotlineHost(new() { ["Twilio:ApiBaseUrl"] = twilio.BaseUrl });
        host.CreateClient().Dispose();
        var code = await Reported.CaseAsync(host, "+6281200000042");
        await Reported.SmsAsync(host, "+6281200000042", "status " + code);
        await DeliverQueuedAsync(host);
        await Reported.SmsAsync(host, "+6281200000042", "halo");
        await DeliverQueuedAsync(host);
        host.Clock.Advance(TimeSpan.FromHours(2));
        await host.RunTimersAsync();     // the minutely jobs: reminders, expiries, escalations, the outbox sweep
        Assert.That(twilio.Requests, Is.Not.Empty, "the partners were notified");

        var texts = await ((SqliteDatabase)host.Services.GetRequiredService<Database>()).PreparedTextsAsync();
        await using var connection = new SqliteConnection($"Data Source={host.DatabasePath}");
        await connection.OpenAsync();
        var partial = (await connection.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '% WHERE %'")).ToHashSet();
        var problems = new List<string>();
        var checkedCount = 0;
        foreach (var sql in texts.Where(IsOneQuery))
        {
            var parameters = new DynamicParameters();
            foreach (var name in Parameter().Matches(sql).Select(m => m.Value).Distinct(StringComparer.Ordinal)) parameters.Add(name, null);
            var plan = (await connection.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>("EXPLAIN QUERY PLAN " + sql, parameters))
                .Select(r => r.Detail).ToList();
            checkedCount++;
            TestContext.Out.WriteLine(sql.ReplaceLineEndings(" ") + "\n    " + string.Join("\n    ", plan));
            // An INSERT's plan also lists the foreign-key checks of tables that point at the new row, which SQLite runs
            // only while a deferred violation is outstanding (never here): what its own statement reads is in its SELECT.
            if (sql.TrimStart().StartsWith("INSERT", StringComparison.OrdinalIgnoreCase) && !sql.Contains("SELECT", StringComparison.OrdinalIgnoreCase))
                continue;
            foreach (var step in plan)
            {
                // A scan of a partial index reads only the rows its WHERE keeps (the queued, the waiting): bounded.
                if (WholeTable().Match(step) is { Success: true } scan && !SmallTables.Contains(scan.Groups[1].Value)
                    && !(scan.Groups[2].Success && partial.Contains(scan.Groups[2].Value)))
                    problems.Add($"reads all of {scan.Groups[1].Value} ({step}): {sql}");
                if (step.Contains("ix_messages_contact (", StringComparison.Ordinal))
                    problems.Add($"reads a contact's whole message history ({step}): {sql}");
            }
        }
        Assert.That(checkedCount, Is.GreaterThan(20), "the writer's statements were found");
        Assert.That(problems, Is.Empty);
    }

    private static async Task DeliverQueuedAsync(HotlineHost host)
    {
        await using var connection = await host.OpenAsync();
        foreach (var id in await connection.QueryAsync<long>("SELECT id FROM messages WHERE direction = 'out' AND status = 'queued' ORDER BY id"))
        {
            using var scope = host.Services.CreateScope();
            await scope.ServiceProvider.GetRequiredService<DeliverMessageJob>().RunAsync(id, CancellationToken.None);
        }
    }

    /// <summary>One statement that reads or writes rows (not a script, a savepoint or DDL: EXPLAIN runs only the first
    /// statement of a script, and the rest would really run).</summary>
    private static bool IsOneQuery(string sql)
    {
        var text = sql.Trim().TrimEnd(';');
        return !text.Contains(';', StringComparison.Ordinal)
            && Regex.IsMatch(text, @"^(SELECT|INSERT|UPDATE|DELETE|WITH)\b", RegexOptions.IgnoreCase);
    }

    [GeneratedRegex(@"@\w+")]
    private static partial Regex Parameter();

    /// <summary>A plan step that visits every row of a table (or of an index of it): "SCAN messages", "SCAN m USING INDEX …"
    /// names the alias, so the table is taken from the statement's own words.</summary>
    [GeneratedRegex(@"^SCAN (\w+)(?: USING (?:COVERING )?INDEX (\w+))?")]
    private static partial Regex WholeTable();
}
