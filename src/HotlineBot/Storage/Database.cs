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
    /// Runs <paramref name="work"/> atomically and returns only once its writes are durably committed. Writes are
    /// applied one at a time in arrival order, so two messages from one sender never interleave. If the work throws,
    /// none of its writes remain and the exception reaches the caller.
    /// </summary>
    public abstract Task<T> WriteAsync<T>(Func<DbTransaction, Task<T>> work, CancellationToken ct);
}
