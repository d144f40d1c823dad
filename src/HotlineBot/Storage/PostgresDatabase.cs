using System.Data.Common;
using Npgsql;

namespace HotlineBot.Storage;

/// <summary>
/// PostgreSQL (<c>Storage:Provider=postgres</c>, <c>ConnectionStrings:Hotline</c> an Npgsql connection string), for
/// several instances on one database. Each write is one transaction (READ COMMITTED), committed before its caller is
/// answered, and runs concurrently with the others, here and on other instances: the rules take their own locks (the
/// contact row for one sender's messages, the case row for codes and officer actions) and jobs claim their work with
/// conditional updates. A transaction PostgreSQL picks to break a deadlock (two rows locked in opposite orders) is run
/// again, from the start, a few times.
/// </summary>
public sealed partial class PostgresDatabase(string connectionString, ILogger<PostgresDatabase>? logger = null) : Database(logger), IAsyncDisposable
{
    private const int Attempts = 4;
    private readonly NpgsqlDataSource _source = NpgsqlDataSource.Create(WithPreparedStatements(connectionString));

    /// <summary>Npgsql prepares a statement on the server once it has run it twice on a connection and keeps up to 128
    /// per connection (its automatic preparation; off unless asked for): every webhook runs the same dozen statements,
    /// and parsing and planning them anew each time was most of their cost. A connection string that sets
    /// <c>Max Auto Prepare</c> itself keeps its value (0 turns it off, e.g. behind a PgBouncer older than 1.21 in
    /// transaction mode).</summary>
    internal static string WithPreparedStatements(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 128;
            builder.AutoPrepareMinUsages = 2;
        }
        return builder.ConnectionString;
    }

    /// <summary>Hangfire's connections come from a pool of their own, sized for its workers and not by the
    /// <c>Maximum Pool Size</c> the office set for the webhooks' and jobs' work: with long polling each worker holds a
    /// connection while it waits for a job (LISTEN) and takes another for a moment to fetch one, and the server's own
    /// processes (heartbeat, schedulers, expiration) and every enqueue take theirs. Held to the office's few connections,
    /// the waiting workers took them all and every enqueue waited out the pool's timeout (15 s), after a commit, on the
    /// path of the webhook that made the case (<c>SmallPoolTests</c>). The waiting ones are idle server processes: they
    /// count against <c>max_connections</c> (deploy/README.md), not against the cores.</summary>
    internal static string ForHangfire(string connectionString, int workers)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(workers);
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = HangfireConnections(workers) };
        builder.MinPoolSize = Math.Min(builder.MinPoolSize, builder.MaxPoolSize);     // a larger minimum would be refused
        return builder.ConnectionString;
    }

    /// <summary>The most connections Hangfire's pool opens for <paramref name="workers"/> workers.</summary>
    internal static int HangfireConnections(int workers) => workers * 2 + 10;

    public override string Dialect => "postgres";
    public override bool OneWriter => false;

    public NpgsqlDataSource DataSource => _source;

    public override async Task<DbConnection> OpenAsync(CancellationToken ct) => await _source.OpenConnectionAsync(ct);

    public override async Task<T> WriteAsync<T>(Func<DbTransaction, Task<T>> work, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(work);
        T result;
        List<Action>? committed;
        for (var attempt = 1; ; attempt++)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                await using var connection = await _source.OpenConnectionAsync(CancellationToken.None);
                await using var tx = await connection.BeginTransactionAsync(CancellationToken.None);
                // Npgsql hands out the same transaction object again on a pooled connection: what an earlier try on it
                // registered and never committed (it failed, or a deadlock made it run again) must not run after this one.
                RollBackCommitted(tx, 0);
                result = await work(tx);
                await tx.CommitAsync(CancellationToken.None);
                committed = TakeCommitted(tx);
                break;
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure && attempt < Attempts)
            {
                if (logger is not null) LogRetried(logger, e.SqlState, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 50) * attempt), CancellationToken.None);
            }
        }
        // Committed, with the connection back in the pool: an action that waits (Hangfire's client on its own pool) never
        // holds one of the few connections every webhook needs, and whatever an action throws never runs the work again.
        RunCommitted(committed);
        return result;
    }

    /// <summary>Migrations run under this advisory lock, so two instances starting together apply each script once.</summary>
    internal const string SqlMigrationLock = "SELECT pg_advisory_lock(7264831)";
    internal const string SqlMigrationUnlock = "SELECT pg_advisory_unlock(7264831)";

    public async ValueTask DisposeAsync() => await _source.DisposeAsync();

    [LoggerMessage(Level = LogLevel.Information, Message = "A transaction was chosen to break a deadlock or conflict ({SqlState}); running it again (try {Attempt})")]
    private static partial void LogRetried(ILogger logger, string sqlState, int attempt);
}
