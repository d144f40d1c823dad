using Dapper;
using HotlineBot.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests.Jobs;

/// <summary>The minutely sweep, the safety net after a crash or a restart (Hangfire's in-memory jobs are gone).</summary>
public sealed class SweepOutboxTests
{
    /// <summary>A busy partner's line after a restart: more messages waiting than one sweep takes, the first of them
    /// due later than the rest (it went back to the queue for a retry). The later ones wait behind it, so it must be
    /// among those posted: taken by due time, the rest filled every sweep and the line never moved.</summary>
    [Test]
    public async Task AContactsFirstWaitingMessage_IsPosted_EvenWhenMoreThanOneSweepWaitBehindIt()
    {
        using var host = new HotlineHost();
        host.CreateClient().Dispose();
        var now = host.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        long first;
        await using (var db = await host.OpenAsync())
        {
            var contact = await db.ExecuteScalarAsync<long>(
                "INSERT INTO contacts (address, channel, created_at, updated_at) VALUES ('tel:+6281100000102', 'sms', 0, 0) RETURNING id");
            const string Queue = """
                INSERT INTO messages (contact_id, direction, provider, body, kind, status, due_at, attempts, created_at)
                VALUES (@Contact, 'out', 'twilio', 'Kasus', 'partner_notification', 'queued', @Due, @Attempts, 0) RETURNING id
                """;
            first = await db.ExecuteScalarAsync<long>(Queue, new { Contact = contact, Due = now - 1_000, Attempts = 1 });
            await using var tx = await db.BeginTransactionAsync();
            for (var i = 0; i < 1_000; i++) await db.ExecuteAsync(Queue, new { Contact = contact, Due = now - 60_000, Attempts = 0 }, tx);
            await tx.CommitAsync();
        }

        using var scope = host.Services.CreateScope();
        var posted = await scope.ServiceProvider.GetRequiredService<SweepOutboxJob>().RunAsync(CancellationToken.None);

        Assert.That(posted, Has.Count.EqualTo(1_000));
        Assert.That(posted, Does.Contain(first));
    }
}
