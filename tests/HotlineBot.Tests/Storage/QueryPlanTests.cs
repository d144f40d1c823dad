using System.Text.RegularExpressions;
using Dapper;
using HotlineBot.Jobs;
using HotlineBot.Storage;
using HotlineBot.Tests.Dashboard;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests.Storage;

/// <summary>
/// Every statement SQLite's one writer runs for a report, its routing, the partners' notifications and their delivery
/// reports, a partner's status code, a status query, the minutely jobs and the daily purge costs the same on the first day and after a
/// year: none reads a whole table that grows, every message of one direction, or a contact's whole message history (a
/// partner gets thousands of messages). The writer runs every write in turn, so one such statement slows every webhook
/// as the history grows. Checked on the plans SQLite makes for the texts the writer kept.
/// </summary>
public sealed partial class QueryPlanTests
{
    /// <summary>Tables whose rows stay few (settings and people the office adds), which a plan may read whole.</summary>
    private static readonly string[] SmallTables = ["partners", "partners_version", "users", "schema_migrations", "pacing", "data_protection_keys"];

    /// <summary>Partial indexes whose rows stay few whatever the history: what is waiting, due, being sent, open or
    /// active now. A scan of one of these is bounded; a scan of any other index reads what grows.</summary>
    private static readonly string[] SmallIndexes =
    [
        "ix_messages_queued", "ix_messages_sending", "ix_messages_contact_waiting", "ux_conversations_active", "ix_conversations_remind",
        "ix_conversations_expires", "ix_cases_accept_due", "ix_cases_arrive_due", "ix_cases_resolve_due", "ux_cases_waiting_handoff",
    ];

    /// <summary>Statements known to read what grows, left for now and named here so that nothing else may: both run once a
    /// day (the retention purge). SQLite picks ix_cases_status for the closed cases to purge over the partial
    /// ix_cases_to_purge, and parked messages have no index by age (tools/README.md, issue 13).</summary>
    private static readonly string[] KnownLeft = ["UPDATE cases SET patient_name = ''", "DELETE FROM inbound_failures WHERE last_at < @Cutoff"];

    /// <summary>Columns with a handful of values: a search on one of them alone (every outbound message) reads what grows.</summary>
    private static readonly string[] FewValues = ["direction", "status", "kind", "channel", "provider", "active"];

    [Test]
    public async Task TheWritersStatements_ForAReportItsRoutingAndItsNotifications_NeverReadWhatGrows()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        using var host = new HotlineHost(new() { ["Twilio:ApiBaseUrl"] = twilio.BaseUrl });
        host.CreateClient().Dispose();
        var code = await Reported.CaseAsync(host, "+6281200000042");
        await Reported.SmsAsync(host, "+6281200000042", "status " + code);
        await DeliverQueuedAsync(host);
        // Twilio's delivery report for a notification, and the partner's answer.
        var notification = twilio.Requests.First();
        using (var report = await host.PostTwilioAsync($"/webhooks/twilio/status?m={notification.Form["StatusCallback"].Split("m=")[1]}",
                   [new("MessageSid", "SM00000000000000000000000000000001"), new("MessageStatus", "delivered"), new("AccountSid", HotlineHost.AccountSid)]))
            Assert.That(report.IsSuccessStatusCode, Is.True);
        Assert.That(await Reported.SmsAsync(host, notification.Form["To"], "TERIMA " + code), Does.Contain(code), "the partner's status code was taken");
        await DeliverQueuedAsync(host);
        await Reported.SmsAsync(host, "+6281200000042", "halo");
        await DeliverQueuedAsync(host);
        host.Clock.Advance(TimeSpan.FromHours(2));
        await host.RunTimersAsync();     // the minutely jobs: reminders, expiries, escalations, the outbox sweep
        // The daily retention purge, once everything is old enough to go.
        host.Clock.Advance(TimeSpan.FromDays(400));
        using (var scope = host.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<PurgePersonalDataJob>().RunAsync(CancellationToken.None);
        Assert.That(twilio.Requests, Is.Not.Empty, "the partners were notified");

        var texts = await ((SqliteDatabase)host.Services.GetRequiredService<Database>()).PreparedTextsAsync();
        await using var connection = new SqliteConnection($"Data Source={host.DatabasePath}");
        await connection.OpenAsync();
        var problems = new List<string>();
        var checkedCount = 0;
        foreach (var sql in texts.Where(IsOneQuery).Where(t => !KnownLeft.Any(k => t.StartsWith(k, StringComparison.Ordinal))))
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
            // A subquery in FROM that SQLite runs as a co-routine is read whole by the outer query: its rows are what its
            // own steps (checked here too) found, not a table ("SCAN newest" of the one-row max() in ConversationStore's turn).
            var derived = plan.Select(step => CoRoutine().Match(step)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
            foreach (var step in plan)
            {
                if (WholeTable().Match(step) is { Success: true } scan && !SmallTables.Contains(scan.Groups[1].Value) && !derived.Contains(scan.Groups[1].Value)
                    && !(scan.Groups[2].Success && SmallIndexes.Contains(scan.Groups[2].Value)))
                    problems.Add($"reads all of {scan.Groups[1].Value} ({step}): {sql}");
                if (Search().Match(step) is { Success: true } search && !SmallTables.Contains(search.Groups[1].Value)
                    && !SmallIndexes.Contains(search.Groups[2].Value)
                    && search.Groups[3].Value.Split(" AND ").All(term => FewValues.Any(column => term == column + "=?")))
                    problems.Add($"reads every row of {search.Groups[1].Value} with one of a few values ({step}): {sql}");
                if (step.Contains("ix_messages_contact (", StringComparison.Ordinal))
                    problems.Add($"reads a contact's whole message history ({step}): {sql}");
            }
        }
        Assert.That(checkedCount, Is.GreaterThan(20), "the writer's statements were found");
        Assert.That(problems, Is.Empty);
        // Each ran on its kept statement, bound directly (PreparedStatementsTests): none took a value of a type only
        // Microsoft.Data.Sqlite's commands bind; and the cache held them all, so every one was checked above.
        var database = (SqliteDatabase)host.Services.GetRequiredService<Database>();
        Assert.That(await database.RunOnCommandsAsync(), Is.Zero);
        Assert.That(await database.EvictedAsync(), Is.Zero);
    }

    /// <summary>The fewest statements per step (issue 13): an answer in the middle of a report is the contact's upsert (its
    /// row lock), one read of the retry check and the dialog state, the message, the new state and the reply. Here on
    /// SQLite's writer; on PostgreSQL the last three are one
    /// statement (<c>RoundTripTests</c>).</summary>
    [Test]
    public async Task AnAnswerInTheMiddleOfAReport_CostsFiveStatements()
    {
        using var host = new HotlineHost();
        host.CreateClient().Dispose();
        var database = (SqliteDatabase)host.Services.GetRequiredService<Database>();
        await host.SmsAsync("+6281200000043", "halo");
        await host.SmsAsync("+6281200000043", "Budi Santoso");        // every statement of a step is prepared by now
        var before = await database.ExecutedAsync();
        var reply = await host.SmsAsync("+6281200000043", "TIDAK TAHU");
        var statements = await database.ExecutedAsync() - before;
        Assert.That(reply, Does.Not.Contain("tidak mengerti").IgnoreCase, "the answer was taken");
        // The group commit adds none around it: a batch runs without savepoints unless one of its writes fails.
        Assert.That(statements, Is.EqualTo(5));
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

    [GeneratedRegex(@"^(?:CO-ROUTINE|MATERIALIZE) (\w+)$")]
    private static partial Regex CoRoutine();

    [GeneratedRegex(@"@\w+")]
    private static partial Regex Parameter();

    /// <summary>A plan step that visits every row of a table, or of an index of it ("SCAN messages", "SCAN messages USING
    /// INDEX …"). Statements here name their tables whole where they scan; an alias ("SCAN m") would be reported too.</summary>
    [GeneratedRegex(@"^SCAN (\w+)(?: USING (?:COVERING )?INDEX (\w+))?")]
    private static partial Regex WholeTable();

    /// <summary>A plan step that searches an index by some of its columns: "SEARCH messages USING INDEX ix (direction=?)".</summary>
    [GeneratedRegex(@"^SEARCH (\w+) USING (?:COVERING )?INDEX (\w+) \((.+)\)$")]
    private static partial Regex Search();
}
