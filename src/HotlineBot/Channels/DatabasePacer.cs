using Dapper;
using HotlineBot.Storage;
using Microsoft.Extensions.Options;

namespace HotlineBot.Channels;

/// <summary>
/// Pacing shared by every instance on one PostgreSQL: the provider's and the contact's next free moments are rows of
/// <c>pacing</c>, read and moved under their row locks in one short transaction, so N instances together keep one
/// provider's rate, not N times it. Accuracy: slots are exact to the millisecond on the database's reading of our
/// clocks; instances whose clocks differ by d may send up to d early. Contact rows past their gap are deleted by the
/// outbox sweep.
/// </summary>
public sealed class DatabasePacer(Database database, IOptions<PacingOptions> options) : IPacer
{
    private const string SqlEnsure = "INSERT INTO pacing (key, next_at) VALUES (@Key, 0) ON CONFLICT (key) DO NOTHING";
    private const string SqlLock = "SELECT key AS Key, next_at AS NextAt FROM pacing WHERE key = @Provider OR key = @Contact ORDER BY key FOR UPDATE";
    // An upsert: the sweep may have pruned a contact's row between the ensure and this move.
    private const string SqlMove = "INSERT INTO pacing (key, next_at) VALUES (@Key, @NextAt) ON CONFLICT (key) DO UPDATE SET next_at = excluded.next_at";
    private const string SqlThrottle = """
        INSERT INTO pacing (key, next_at) VALUES (@Key, @Until)
        ON CONFLICT (key) DO UPDATE SET next_at = greatest(pacing.next_at, excluded.next_at)
        """;
    private const string SqlPrune = "DELETE FROM pacing WHERE key LIKE 'contact:%' AND next_at < @Before";

    public Task<TimeSpan> ReserveAsync(string provider, string contact, int units, DateTimeOffset now, TimeSpan maxWait) =>
        database.WriteAsync(async tx =>
        {
            var (providerKey, contactKey) = ("provider:" + provider, "contact:" + contact);
            var c = tx.Connection!;
            await c.ExecuteAsync(SqlEnsure, new[] { new { Key = providerKey }, new { Key = contactKey } }, tx);
            var rows = (await c.QueryAsync<Slot>(SqlLock, new { Provider = providerKey, Contact = contactKey }, tx)).ToDictionary(r => r.Key, r => r.NextAt);
            var ms = now.ToUnixTimeMilliseconds();
            var slot = Math.Max(ms, Math.Max(rows.GetValueOrDefault(providerKey), rows.GetValueOrDefault(contactKey)));
            var wait = TimeSpan.FromMilliseconds(slot - ms);
            if (wait > maxWait) return wait;
            var rate = options.Value.PerSecond.GetValueOrDefault(provider, 0);
            if (rate > 0) await c.ExecuteAsync(SqlMove, new { Key = providerKey, NextAt = slot + (long)Math.Ceiling(units * 1000 / rate) }, tx);
            await c.ExecuteAsync(SqlMove, new { Key = contactKey, NextAt = slot + (long)options.Value.ContactGap.TotalMilliseconds }, tx);
            return wait;
        }, CancellationToken.None);

    public Task ThrottledAsync(string provider, DateTimeOffset until) =>
        database.WriteAsync(tx => tx.Connection!.ExecuteAsync(SqlThrottle, new { Key = "provider:" + provider, Until = until.ToUnixTimeMilliseconds() }, tx),
            CancellationToken.None);

    /// <summary>Forgets contacts whose gap ended before <paramref name="before"/> (called by the outbox sweep).</summary>
    public static Task<int> PruneAsync(System.Data.Common.DbTransaction tx, long before) =>
        tx.Connection!.ExecuteAsync(SqlPrune, new { Before = before }, tx);

    private sealed class Slot
    {
        public string Key { get; init; } = "";
        public long NextAt { get; init; }
    }
}
