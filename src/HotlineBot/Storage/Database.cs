using System.Data.Common;

namespace HotlineBot.Storage;

/// <summary>
/// The I/O seam between stores and a database engine. Stores write portable SQL (<c>RETURNING</c>,
/// <c>ON CONFLICT</c>, bigint times); what differs per engine — opening, write transactions, migrations — lives here.
/// </summary>
public abstract class Database
{
    /// <summary>The migrations folder name: <c>sqlite</c> or <c>postgres</c>.</summary>
    public abstract string Dialect { get; }

    public abstract Task<DbConnection> OpenAsync(CancellationToken ct);

    /// <summary>A transaction that will write: taken so that writers on one contact queue rather than interleave.</summary>
    public abstract Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct);
}
