using Dapper;
using HotlineBot.Dashboard;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests.Dashboard;

/// <summary>The case queue on a flood day: more open cases than one page holds. Its order is the query's, on both
/// engines (the PostgreSQL half needs the server <c>./test.sh</c> starts).</summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed class QueueTests(string engine)
{
    /// <summary>The queue holds at most <see cref="DashboardQueries.QueueLimit"/> cases. It kept the newest ones and put the
    /// most urgent first among those, so on a flood day a citizen promised an officer's call an hour before dropped off
    /// the officers' screen, and the count said the limit, not how many were open.</summary>
    [Test]
    public async Task AHandoffOlderThanTheQueueHolds_IsStillFirst_AndTheCountIsEveryOpenCase()
    {
        using var host = new HotlineHost(engine: engine);
        foreach (var text in new[] { "halo", "1", "??", "08123" }) await host.SmsAsync("+6281299990002", text);
        await using (var db = await host.OpenAsync())
        {
            Assert.That(await db.ExecuteScalarAsync<string>("SELECT status FROM cases"), Is.EqualTo("handoff"));
            // Newer open cases than the queue holds, each waiting for a partner's answer.
            await db.ExecuteAsync($"""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {DashboardQueries.QueueLimit + 200})
                INSERT INTO cases (code, status, reporter_contact_id, patient_name, address, needs, flags, created_at, updated_at, accept_due_at)
                SELECT 'F' || i, 'notified', c.reporter_contact_id, 'Warga ' || i, 'ds karangrau', 'health', '', c.created_at + i, c.created_at + i,
                       c.created_at + 1800000 + i
                FROM n, cases c WHERE c.status = 'handoff'
                """);
        }

        var queue = await host.Services.GetRequiredService<DashboardQueries>().OpenCasesAsync(CancellationToken.None);

        Assert.That(queue.Total, Is.EqualTo(DashboardQueries.QueueLimit + 201));
        Assert.That(queue.Items, Has.Count.EqualTo(DashboardQueries.QueueLimit));
        Assert.That(queue.Items[0].Status, Is.EqualTo("handoff"), "a promised call comes first, however many cases came after it");
        Assert.That(queue.Items.Skip(1).Select(i => i.NextDeadline!.Value.At), Is.Ordered, "then by the nearest deadline");
        Assert.That(queue.Items[1].Code, Is.EqualTo("F1"));
    }
}
