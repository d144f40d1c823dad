using System.Collections.Concurrent;
using System.Diagnostics;
using Dapper;

namespace HotlineBot.Tests.Storage;

/// <summary>
/// Round trips per step on PostgreSQL (issue 13). Each statement is one: the service writes, the server's process wakes,
/// runs it and answers, and on two cores those switches cost more than the statements (tools/README.md). Counted from
/// Npgsql's own tracing, one activity per command it sends (the commit is not a command and is not counted).
/// <c>QueryPlanTests.AnAnswerInTheMiddleOfAReport_CostsFiveStatements</c> counts the same step on SQLite.
/// </summary>
public sealed class RoundTripTests
{
    /// <summary>The contact's upsert (its row lock), then the retry check and the dialog state, then everything the step
    /// writes — the message, the new state, the reply — as one statement.</summary>
    [Test]
    public async Task AnAnswerInTheMiddleOfAReport_IsThreeCommands()
    {
        using var host = new HotlineHost(engine: "postgres");
        host.CreateClient().Dispose();
        const string sender = "+6281200000044";
        await host.SmsAsync(sender, "halo");
        await host.SmsAsync(sender, "Budi Santoso");

        var commands = await CommandsOfAsync(host, () => host.SmsAsync(sender, "TIDAK TAHU"));

        Assert.That(commands, Has.Count.EqualTo(3), string.Join("\n", commands));
        await using var connection = await host.OpenAsync();
        var stored = (await connection.QueryAsync<(string Direction, string Body, long? InReplyTo)>(
            "SELECT direction, body, in_reply_to FROM messages ORDER BY id DESC LIMIT 2")).ToList();
        Assert.That(stored[1].Direction, Is.EqualTo("in"), "the answer was stored before its reply");
        Assert.That(stored[1].Body, Is.EqualTo("TIDAK TAHU"));
        Assert.That(stored[0].Direction, Is.EqualTo("out"));
    }

    /// <summary>A new sender's first message: no conversation yet, and the retry check still one read with the state.</summary>
    [Test]
    public async Task ANewSendersFirstMessage_ReadsItsTurnOnce()
    {
        using var host = new HotlineHost(engine: "postgres");
        host.CreateClient().Dispose();
        await host.SmsAsync("+6281200000045", "halo");     // every statement is prepared by now

        var commands = await CommandsOfAsync(host, () => host.SmsAsync("+6281200000046", "halo"));

        // The upsert, the turn's read, the new conversation, the message and its reply.
        Assert.That(commands, Has.Count.EqualTo(4), string.Join("\n", commands));
    }

    /// <summary>The commands Npgsql sent to this host's database while <paramref name="act"/> ran.</summary>
    private static async Task<List<string>> CommandsOfAsync(HotlineHost host, Func<Task> act)
    {
        string database;
        await using (var connection = await host.OpenAsync()) database = connection.Database;
        var commands = new ConcurrentQueue<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                // Commands only (a physical connection's open is an activity too), and not the dashboards' live updates
                // between instances (PostgresLiveUpdates: a LISTEN at start and after a lost connection, a NOTIFY at
                // most four times a second whatever the load).
                if (activity.Tags.Any(t => t.Value == database) && activity.GetTagItem("db.query.text") is string text
                    && !text.Contains("pg_notify", StringComparison.Ordinal) && !text.StartsWith("LISTEN", StringComparison.Ordinal))
                    commands.Enqueue(text);
            },
        };
        ActivitySource.AddActivityListener(listener);
        await act();
        return [.. commands];
    }
}
