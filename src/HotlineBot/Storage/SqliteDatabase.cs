using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace HotlineBot.Storage;

/// <summary>SQLite, the embedded default: WAL so readers never block the writer, a busy timeout so writers queue.</summary>
public sealed class SqliteDatabase : Database
{
    private const string SqlPragmas = "PRAGMA busy_timeout = 30000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";
    private readonly string _connectionString;

    public SqliteDatabase(string connectionString, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { DefaultTimeout = 30, Pooling = true };
        if (builder.DataSource is { Length: > 0 } path && path != ":memory:" && builder.Mode != SqliteOpenMode.Memory)
        {
            var full = Path.GetFullPath(path, contentRoot);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            builder.DataSource = full;
        }
        _connectionString = builder.ToString();
        FilePath = builder.DataSource;
    }

    public string FilePath { get; }
    public override string Dialect => "sqlite";

    public override async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        await using var pragmas = connection.CreateCommand();
        pragmas.CommandText = SqlPragmas;
        await pragmas.ExecuteNonQueryAsync(ct);
        return connection;
    }

    // BEGIN IMMEDIATE takes the write lock up front, so two requests never both read a state and then race to write it.
    public override Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    /// <summary>WAL is a property of the file, set once when the schema is migrated.</summary>
    internal const string SqlEnableWal = "PRAGMA journal_mode = WAL;";
}
