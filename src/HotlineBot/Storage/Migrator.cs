using Dapper;

namespace HotlineBot.Storage;

/// <summary>Applies the embedded, ordered SQL migrations of the database's dialect, each in its own transaction.</summary>
public sealed partial class Migrator(Database database, TimeProvider time, ILogger<Migrator> logger)
{
    private const string SqlCreateHistory = """
        CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)
        """;
    private const string SqlApplied = "SELECT version FROM schema_migrations";
    private const string SqlRecord = "INSERT INTO schema_migrations (version, applied_at) VALUES (@Version, @AppliedAt)";

    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        if (database is SqliteDatabase) await connection.ExecuteAsync(SqliteDatabase.SqlEnableWal);
        // Several instances may start at once on one PostgreSQL: one migrates while the others wait. The lock is released
        // by hand: a pooled connection's session (and its advisory locks) outlives its Dispose.
        var locked = database is PostgresDatabase;
        if (locked) await connection.ExecuteAsync(PostgresDatabase.SqlMigrationLock);
        try
        {
            await connection.ExecuteAsync(SqlCreateHistory);
            var applied = (await connection.QueryAsync<string>(SqlApplied)).ToHashSet(StringComparer.Ordinal);
            var done = new List<string>();
            foreach (var (version, sql) in Scripts(database.Dialect))
            {
                if (applied.Contains(version)) continue;
                await database.WriteAsync(async tx =>
                {
                    await tx.Connection!.ExecuteAsync(sql, transaction: tx);
                    return await tx.Connection!.ExecuteAsync(SqlRecord, new { Version = version, AppliedAt = time.GetUtcNow().ToUnixTimeMilliseconds() }, tx);
                }, ct);
                LogApplied(logger, version);
                done.Add(version);
            }
            return done;
        }
        finally
        {
            if (locked) await connection.ExecuteAsync(PostgresDatabase.SqlMigrationUnlock);
        }
    }

    /// <summary>The dialect's scripts, ordered by name (<c>0001_initial.sql</c>, ...).</summary>
    public static IEnumerable<(string Version, string Sql)> Scripts(string dialect)
    {
        var assembly = typeof(Migrator).Assembly;
        var prefix = $"Migrations/{dialect}/";
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            yield return (Path.GetFileNameWithoutExtension(name[prefix.Length..]), reader.ReadToEnd());
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Version}")]
    private static partial void LogApplied(ILogger logger, string version);
}
