using System.Data.Common;
using Npgsql;

namespace HotlineBot.Storage;

/// <summary>
/// PostgreSQL (<c>Storage:Provider=postgres</c>, <c>ConnectionStrings:Hotline</c> an Npgsql connection string). Each
/// write is one transaction (READ COMMITTED), committed before its caller is answered. Within one process writes are
/// still applied one at a time, as on SQLite: the stores' rules were written for one writer, and until each takes its
/// own row lock or claim, this keeps one instance correct. (Several instances on one database are not supported yet.)
/// </summary>
public sealed class PostgresDatabase(string connectionString) : Database, IAsyncDisposable
{
    private readonly NpgsqlDataSource _source = NpgsqlDataSource.Create(connectionString);
    private readonly SemaphoreSlim _oneWriter = new(1, 1);

    public override string Dialect => "postgres";

    public override async Task<DbConnection> OpenAsync(CancellationToken ct) => await _source.OpenConnectionAsync(ct);

    public override async Task<T> WriteAsync<T>(Func<DbTransaction, Task<T>> work, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(work);
        await _oneWriter.WaitAsync(ct);
        try
        {
            await using var connection = await _source.OpenConnectionAsync(CancellationToken.None);
            await using var tx = await connection.BeginTransactionAsync(CancellationToken.None);
            var result = await work(tx);
            await tx.CommitAsync(CancellationToken.None);
            return result;
        }
        finally
        {
            _oneWriter.Release();
        }
    }

    /// <summary>Migrations run under this advisory lock, so two instances starting together apply each script once.</summary>
    internal const string SqlMigrationLock = "SELECT pg_advisory_lock(7264831)";

    public async ValueTask DisposeAsync()
    {
        await _source.DisposeAsync();
        _oneWriter.Dispose();
    }
}
