using System.Data.Common;

namespace HotlineBot.Storage;

/// <summary>
/// The I/O seam between stores and a database engine. Stores write portable SQL (<c>RETURNING</c>,
/// <c>ON CONFLICT</c>, bigint times); what differs per engine — opening, how writes are serialized and committed,
/// migrations — lives here.
/// </summary>
public abstract class Database
{
    /// <summary>The migrations folder name: <c>sqlite</c> or <c>postgres</c>.</summary>
    public abstract string Dialect { get; }

    public abstract Task<DbConnection> OpenAsync(CancellationToken ct);

    /// <summary>
    /// Runs <paramref name="work"/> atomically and returns only once its writes are durably committed. Atomic, not
    /// serial: on PostgreSQL writes of this and other instances run at once, so a rule that reads and then decides takes
    /// the row lock it needs first (<c>ContactStore.LockAsync</c>, <c>CaseStore.LockAsync</c>, the inbound upsert) and a
    /// job claims its work with a conditional update; the work may be run again from the start after a deadlock. On
    /// SQLite the one writer applies writes one at a time, so the same code is correct there too. If the work throws,
    /// none of its writes remain and the exception reaches the caller.
    /// </summary>
    public abstract Task<T> WriteAsync<T>(Func<DbTransaction, Task<T>> work, CancellationToken ct);
}
