using System.Data.Common;

namespace HotlineBot.Storage;

/// <summary>
/// The I/O seam between stores and a database engine. Stores write portable SQL (<c>RETURNING</c>,
/// <c>ON CONFLICT</c>, bigint times); what differs per engine — opening, how writes are serialized and committed,
/// migrations — lives here.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "The semaphore's wait handle is never asked for, so disposing it would free nothing; the database lives as long as the process.")]
public abstract partial class Database(ILogger? logger = null)
{
    /// <summary>The migrations folder name: <c>sqlite</c> or <c>postgres</c>.</summary>
    public abstract string Dialect { get; }

    public abstract Task<DbConnection> OpenAsync(CancellationToken ct);

    /// <summary>True when writes of the whole process go one at a time through one writer (SQLite): a plain read that
    /// spares the writer a write is worth its own connection there, and only costs a round trip elsewhere.</summary>
    public abstract bool OneWriter { get; }

    /// <summary>
    /// Runs <paramref name="work"/> atomically and returns only once its writes are durably committed. Atomic, not
    /// serial: on PostgreSQL writes of this and other instances run at once, so a rule that reads and then decides takes
    /// the row lock it needs first (<c>ContactStore.LockAsync</c>, <c>CaseStore.LockAsync</c>, the inbound upsert) and a
    /// job claims its work with a conditional update; the work may be run again from the start after a deadlock. On
    /// SQLite the one writer applies writes one at a time, so the same code is correct there too; there the work may be
    /// run again from the start when it or another write of its group commit failed. So the work keeps no effect of a run
    /// outside the transaction: what must follow the commit goes through <see cref="OnCommitted"/>. If the work throws,
    /// none of its writes remain and the exception reaches the caller.
    /// </summary>
    public abstract Task<T> WriteAsync<T>(Func<DbTransaction, Task<T>> work, CancellationToken ct);

    private readonly SemaphoreSlim _alone = new(1, 1);

    /// <summary>Runs <paramref name="work"/> while no other run of <paramref name="name"/> does, on this instance or
    /// another: for a step made of several transactions that must happen once (the demo data, seeded by whichever
    /// instance starts first). In process a semaphore (SQLite has one instance); on PostgreSQL also a session advisory lock, held on a connection
    /// of its own until the work ends and released by hand (a pooled connection's session outlives its Dispose).</summary>
    public async Task<T> AloneAsync<T>(string name, Func<Task<T>> work, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(work);
        await _alone.WaitAsync(ct);
        try
        {
            if (Dialect != "postgres") return await work();
            await using var connection = await OpenAsync(ct);
            await Dapper.SqlMapper.ExecuteAsync(connection, "SELECT pg_advisory_lock(hashtext('hotline-alone:' || @Name))", new { Name = name });
            try
            {
                return await work();
            }
            finally
            {
                await Dapper.SqlMapper.ExecuteAsync(connection, "SELECT pg_advisory_unlock(hashtext('hotline-alone:' || @Name))", new { Name = name });
            }
        }
        finally
        {
            _alone.Release();
        }
    }

    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbTransaction, List<Action>> _committed = new();

    /// <summary>Runs <paramref name="action"/> once <paramref name="tx"/>'s writes are committed, and never if they are
    /// not (rolled back, or run again after a deadlock or with its SQLite group commit: the new run registers its own). For what must not happen before
    /// the commit, or twice — scheduling a Hangfire job about rows the transaction writes. On PostgreSQL it runs once
    /// the transaction's connection is back in the pool: an action that waits holds none.</summary>
    public void OnCommitted(DbTransaction tx, Action action)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(action);
        _committed.GetOrCreateValue(tx).Add(action);
    }

    /// <summary>How many after-commit actions <paramref name="tx"/> holds (a mark to roll back to, for a savepoint).</summary>
    protected int CommittedMark(DbTransaction tx) => _committed.TryGetValue(tx, out var list) ? list.Count : 0;

    /// <summary>Forgets the actions registered after <paramref name="mark"/> (their writes were rolled back).</summary>
    protected void RollBackCommitted(DbTransaction tx, int mark)
    {
        if (_committed.TryGetValue(tx, out var list) && list.Count > mark) list.RemoveRange(mark, list.Count - mark);
    }

    /// <summary>Runs the transaction's after-commit actions (call once it committed, before its callers resume).
    /// The writes are committed whatever an action does: one that fails (Hangfire's storage unreachable) is logged as an
    /// error and the others still run — the minutely jobs find in the database whatever it would have scheduled.</summary>
    protected void RunCommitted(DbTransaction tx) => RunCommitted(TakeCommitted(tx));

    /// <summary>The transaction's after-commit actions, taken from it: to run with <see cref="RunCommitted(List{Action}?)"/>
    /// once its connection is back in the pool (an action may wait on another pool: Hangfire's).</summary>
    protected List<Action>? TakeCommitted(DbTransaction tx)
    {
        if (!_committed.TryGetValue(tx, out var list)) return null;
        _committed.Remove(tx);
        return list;
    }

    protected void RunCommitted(List<Action>? actions)
    {
        if (actions is null) return;
        foreach (var action in actions)
        {
            try
            {
                action();
            }
            catch (Exception e) when (logger is not null && e is not OutOfMemoryException)
            {
                LogCommittedActionFailed(logger, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "An action after a commit failed; the committed writes stand")]
    private static partial void LogCommittedActionFailed(ILogger logger, Exception exception);
}
