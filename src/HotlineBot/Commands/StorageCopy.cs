using Dapper;
using HotlineBot.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace HotlineBot.Commands;

/// <summary>
/// <c>storage copy --from data/hotline.db --to "Host=…;Database=hotline;…"</c>: moves an office from SQLite to
/// PostgreSQL. The target is migrated, must be empty, and gets every table's rows with their ids, in one transaction
/// (all or nothing); then its id sequences continue after the copied ids. Stop the service while it runs.
/// </summary>
public static class StorageCopy
{
    /// <summary>Every table, parents before the rows that point at them (messages answer older messages: by id).</summary>
    public static readonly IReadOnlyList<string> Tables =
    [
        "contacts", "conversations", "cases", "messages", "case_events", "partners", "case_assignments", "users", "audit_log",
        "inbound_failures", "data_protection_keys",
    ];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, ILoggerFactory logs, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        if (Arg("--from") is not { } from || Arg("--to") is not { } to)
        {
            await error.WriteLineAsync("usage: storage copy --from data/hotline.db --to \"Host=…;Database=hotline;Username=…;Password=…\"");
            return 2;
        }
        if (!File.Exists(from))
        {
            await error.WriteLineAsync($"storage copy: no SQLite database at {from}");
            return 1;
        }
        var copied = await CopyAsync(from, to, logs, ct);
        foreach (var (table, rows) in copied) await output.WriteLineAsync($"{table}: {rows} row(s)");
        await output.WriteLineAsync("Copied. Start the service with Storage__Provider=postgres and ConnectionStrings__Hotline set to the target.");
        return 0;
    }

    /// <summary>SQLite text may hold U+0000, which PostgreSQL refuses: it is dropped (no sender means it).</summary>
    private static object Portable(object value) => value is string text && text.Contains('\0', StringComparison.Ordinal)
        ? text.Replace("\0", "", StringComparison.Ordinal) : value;

    public static async Task<IReadOnlyList<(string Table, int Rows)>> CopyAsync(string sqlitePath, string postgres, ILoggerFactory logs, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(logs);
        await using var source = new SqliteDatabase($"Data Source={sqlitePath}", Directory.GetCurrentDirectory());
        await new Migrator(source, TimeProvider.System, logs.CreateLogger<Migrator>()).MigrateAsync(ct);
        await using var target = new PostgresDatabase(postgres, logs.CreateLogger<PostgresDatabase>());
        await new Migrator(target, TimeProvider.System, logs.CreateLogger<Migrator>()).MigrateAsync(ct);

        await using var reader = (SqliteConnection)await source.OpenAsync(ct);
        // One read transaction: every table from the same moment, even if the service were still writing.
        await using var snapshot = reader.BeginTransaction(deferred: true);
        return await target.WriteAsync(async tx =>
        {
            var counts = new List<(string, int)>();
            foreach (var table in Tables)
                if (await tx.Connection!.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table}", transaction: tx) > 0)
                    throw new Configuration.SettingException($"storage copy: the target's table {table} is not empty; copy into a new database.");
            foreach (var table in Tables)
            {
                var columns = (await reader.QueryAsync<string>($"SELECT name FROM pragma_table_info('{table}') ORDER BY cid", transaction: snapshot)).ToList();
                var list = string.Join(", ", columns);
                var values = string.Join(", ", columns.Select((_, i) => "$" + (i + 1)));
                var rows = 0;
                await using (var select = reader.CreateCommand())
                {
                    select.CommandText = $"SELECT {list} FROM {table} ORDER BY rowid";
                    select.Transaction = snapshot;
                    await using var read = await select.ExecuteReaderAsync(ct);
                    await using var insert = new NpgsqlCommand($"INSERT INTO {table} ({list}) VALUES ({values})", (NpgsqlConnection)tx.Connection!, (NpgsqlTransaction)tx);
                    while (await read.ReadAsync(ct))
                    {
                        insert.Parameters.Clear();
                        for (var i = 0; i < columns.Count; i++)
                            insert.Parameters.Add(new NpgsqlParameter { Value = read.IsDBNull(i) ? DBNull.Value : Portable(read.GetValue(i)) });
                        await insert.ExecuteNonQueryAsync(ct);
                        rows++;
                    }
                }
                // The next id after the copied ones (tables keyed by a text id have no sequence).
                if (columns.Contains("id")
                    && await tx.Connection!.ExecuteScalarAsync<string?>("SELECT pg_get_serial_sequence(@Table, 'id')", new { Table = table }, tx) is { } sequence)
                    await tx.Connection!.ExecuteAsync($"SELECT setval(@Sequence, coalesce((SELECT max(id) FROM {table}), 0) + 1, false)", new { Sequence = sequence }, tx);
                counts.Add((table, rows));
            }
            return (IReadOnlyList<(string, int)>)counts;
        }, ct);
    }
}
