using System.Data.Common;
using Dapper;
using HotlineBot.Storage;
using Microsoft.Extensions.Options;

namespace HotlineBot.Channels;

/// <summary>
/// Pacing shared by every instance on one PostgreSQL: the provider's and the contact's next free moments are rows of
/// <c>pacing</c>, read and moved under their row locks in one short transaction, so N instances together keep one
/// provider's rate, not N times it. Accuracy: slots are exact to the millisecond on the database's reading of our
/// clocks; instances whose clocks differ by d may send up to d early. Contact rows past their gap are deleted by the
/// outbox sweep. A slot is taken in the transaction that claims the message: the rows stay locked until it commits.
/// </summary>
public sealed class DatabasePacer(Database database, IOptions<PacingOptions> options) : IPacer
{
    private const string SqlEnsure = "INSERT INTO pacing (key, next_at) VALUES (@Key, 0) ON CONFLICT (key) DO NOTHING";
    // The rows this send moves, locked in key order (two instances never wait on each other's second row); then both read.
    private const string SqlLock = "SELECT key FROM pacing WHERE key = @First OR key = @Second ORDER BY key FOR UPDATE";
    private const string SqlRead = "SELECT key AS Key, next_at AS NextAt FROM pacing WHERE key = @Provider OR key = @Contact";
    // An upsert: the sweep may have pruned a contact's row between the ensure and this move.
    private const string SqlMove = "INSERT INTO pacing (key, next_at) VALUES (@Key, @NextAt) ON CONFLICT (key) DO UPDATE SET next_at = excluded.next_at";
    private const string SqlThrottle = """
        INSERT INTO pacing (key, next_at) VALUES (@Key, @Until)
        ON CONFLICT (key) DO UPDATE SET next_at = greatest(pacing.next_at, excluded.next_at)
        """;
    private const string SqlPrune = "DELETE FROM pacing WHERE key LIKE 'contact:%' AND next_at < @Before";

    public async Task<TimeSpan> ReserveAsync(DbTransaction tx, string provider, string contact, int units, DateTimeOffset now, TimeSpan maxWait)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var (providerKey, contactKey) = ("provider:" + provider, "contact:" + contact);
        var c = tx.Connection!;
        var rate = options.Value.PerSecond.GetValueOrDefault(provider, 0);
        var gap = (long)options.Value.ContactGap.TotalMilliseconds;
        // A row is locked only when this send moves it: an unpaced provider's row (where a throttle may still have
        // put a pause) is read, not locked, or every send of every instance would queue on that one row.
        var locked = new List<string>(2);
        if (rate > 0) locked.Add(providerKey);
        if (gap > 0) locked.Add(contactKey);
        if (locked.Count > 0) await c.ExecuteAsync(SqlEnsure, locked.Select(k => new { Key = k }), tx);
        if (locked.Count > 0) await c.ExecuteAsync(SqlLock, new { First = locked[0], Second = locked[^1] }, tx);
        var rows = (await c.QueryAsync<Slot>(SqlRead, new { Provider = providerKey, Contact = contactKey }, tx)).ToDictionary(r => r.Key, r => r.NextAt);
        var ms = now.ToUnixTimeMilliseconds();
        var slot = Math.Max(ms, Math.Max(rows.GetValueOrDefault(providerKey), rows.GetValueOrDefault(contactKey)));
        var wait = TimeSpan.FromMilliseconds(slot - ms);
        if (wait > maxWait) return wait;
        if (rate > 0) await c.ExecuteAsync(SqlMove, new { Key = providerKey, NextAt = slot + (long)Math.Ceiling(units * 1000 / rate) }, tx);
        if (gap > 0) await c.ExecuteAsync(SqlMove, new { Key = contactKey, NextAt = slot + gap }, tx);
        return wait;
    }

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
