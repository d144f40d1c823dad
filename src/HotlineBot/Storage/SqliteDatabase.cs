using System.Data.Common;
using System.Threading.Channels;
using Dapper;
using Microsoft.Data.Sqlite;

namespace HotlineBot.Storage;

/// <summary>
/// SQLite, the embedded default. WAL so readers never block the writer; <c>synchronous=FULL</c> so an acknowledged
/// message survives a power cut. SQLite has one writer at a time, so writes go through one writer loop with group
/// commit: it takes every write waiting at that moment, runs them in one transaction and commits once — one fsync for
/// the batch — before any caller is answered. One failure undoes only its own writes: should a write throw, the batch is
/// rolled back and runs again with each write inside its own SAVEPOINT, where the failing one rolls back alone (the
/// others' work runs a second time from the start, as <see cref="Database.WriteAsync"/> allows). A savepoint for every
/// write from the start cost every write a copy of each page it changed into the savepoint's journal (tools/README.md,
/// "A group commit without a savepoint per write").
/// </summary>
public sealed partial class SqliteDatabase : Database, IAsyncDisposable
{
    // secure_delete=FAST: what an update or purge replaces is zeroed on the pages being written anyway (no extra I/O),
    // so purged personal data does not linger in free space. temp_store=MEMORY: the journals of savepoints (a group commit
    // run again with a savepoint per write) and of statements, which SQLite otherwise keeps in temporary files — 70 % of
    // the writer's pwrite calls under load when every write had a savepoint (tools/README.md). They are not needed after
    // a crash (the WAL is), so keeping them in memory costs no safety.
    private const string SqlPragmas = "PRAGMA busy_timeout = 30000; PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA secure_delete = FAST; PRAGMA temp_store = MEMORY;";
    private const int MaxBatch = 64;
    /// <summary>After a write failed, this many batches run with savepoints from the start (each further failure starts the
    /// count again): writes that keep failing (a message that breaks its write every time it is retried) cost their
    /// batch one run, not two.</summary>
    private const int SavepointBatchesAfterAFailure = 16;
    private int _savepointBatches;
    private readonly string _connectionString;
    private readonly Channel<IWrite> _writes = Channel.CreateUnbounded<IWrite>(new() { SingleReader = true });
    private readonly Lazy<Task> _writer;
    private readonly ILogger<SqliteDatabase>? _logger;

    public SqliteDatabase(string connectionString, string contentRoot, ILogger<SqliteDatabase>? logger = null) : base(logger)
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
        _logger = logger;
        _writer = new Lazy<Task>(() => Task.Run(WriterLoopAsync));
    }

    public string FilePath { get; }
    public override string Dialect => "sqlite";
    public override bool OneWriter => true;

    public override async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        await using var pragmas = connection.CreateCommand();
        pragmas.CommandText = SqlPragmas;
        await pragmas.ExecuteNonQueryAsync(ct);
        return connection;
    }

    public override Task<T> WriteAsync<T>(Func<DbTransaction, Task<T>> work, CancellationToken ct)
    {
        var write = new Write<T>(work, ct);
        _ = _writer.Value;
        ObjectDisposedException.ThrowIf(!_writes.Writer.TryWrite(write), this);
        return write.Result.Task;
    }

    private async Task WriterLoopAsync()
    {
        var batch = new List<IWrite>(MaxBatch);
        while (await _writes.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _writes.Reader.TryRead(out var next)) batch.Add(next);
            try
            {
                await CommitBatchAsync(batch);
            }
            catch (Exception e)
            {
                // Whatever went wrong, nothing of this batch is committed: each caller gets the exception (a webhook
                // answers 503 and logs it, a job fails and is retried), and the loop goes on for the next writes.
                foreach (var write in batch) write.Fail(e);
            }
            batch.Clear();
        }
    }

    /// <summary>The writer's own connection, its statements kept prepared; opened again after a batch that failed.</summary>
    private PreparedStatements? _connection;

    /// <summary>How many SQL texts the writer keeps prepared (for tests).</summary>
    internal int PreparedCount => _connection?.Count ?? 0;

    /// <summary>The SQL texts the writer keeps prepared (every one it has run, until more than the cache holds), read on
    /// the writer itself (for tests: each one's query plan).</summary>
    internal Task<List<string>> PreparedTextsAsync() => WriteAsync(_ => Task.FromResult(_connection?.Texts.ToList() ?? []), CancellationToken.None);

    /// <summary>How many statements the writer has run, read on the writer itself (for tests).</summary>
    internal Task<long> ExecutedAsync() => WriteAsync(_ => Task.FromResult(_connection?.Executed ?? 0), CancellationToken.None);

    /// <summary>How many runs of a text missed the kept statement, read on the writer itself (for tests).</summary>
    internal Task<long> RunOnCommandsAsync() => WriteAsync(_ => Task.FromResult(_connection?.RunOnCommands ?? 0), CancellationToken.None);

    /// <summary>How many kept texts gave way to newer ones, read on the writer itself (for tests).</summary>
    internal Task<long> EvictedAsync() => WriteAsync(_ => Task.FromResult(_connection?.Evicted ?? 0), CancellationToken.None);

    private async Task CommitBatchAsync(List<IWrite> batch)
    {
        try
        {
            await CommitBatchAsync(_connection ??= new PreparedStatements((SqliteConnection)await OpenAsync(CancellationToken.None)), batch);
        }
        catch
        {
            // Whatever state the failure left the connection in, the next batch starts on a fresh one.
            await (_connection?.DisposeAsync() ?? ValueTask.CompletedTask);
            _connection = null;
            throw;
        }
    }

    private async Task CommitBatchAsync(PreparedStatements connection, List<IWrite> batch)
    {
        Exception? failed;
        if (_savepointBatches > 0) _savepointBatches--;
        else if ((failed = await TryCommitAsync(connection, batch, savepoints: false)) is null) return;
        else
        {
            BatchesRunAgain++;
            if (_logger is not null) LogRunAgain(_logger, batch.Count, failed);
            _savepointBatches = SavepointBatchesAfterAFailure;
        }
        if (await TryCommitAsync(connection, batch, savepoints: true) is not null) _savepointBatches = SavepointBatchesAfterAFailure;
    }

    /// <summary>How many batches ran again with a savepoint per write because one of their writes failed (for tests).</summary>
    internal long BatchesRunAgain { get; private set; }

    /// <summary>Runs the batch in one transaction and commits it; the first failure of a write, or null. Without
    /// <paramref name="savepoints"/>, a write that fails rolls the whole transaction back (nothing committed, no caller
    /// answered); with them, each write runs inside its own SAVEPOINT and a failing one undoes only its own writes, the
    /// others commit. SQLite copies each page a write inside a savepoint changes into the savepoint's journal, most of
    /// a savepoint's cost.</summary>
    private async Task<Exception?> TryCommitAsync(PreparedStatements connection, List<IWrite> batch, bool savepoints)
    {
        // BEGIN IMMEDIATE takes the file's write lock up front; the busy timeout covers another process (migrate).
        await using var tx = connection.BeginImmediate();
        var applied = new List<IWrite>(batch.Count);
        Exception? failed = null;
        foreach (var write in batch)
        {
            if (write.Cancelled) { write.Cancel(); continue; }
            if (!savepoints)
            {
                if (await write.RunAsync(tx, final: false) is { } error)
                {
                    TakeCommitted(tx);     // the first run's actions never run; its disposal rolls the transaction back
                    return error;
                }
                applied.Add(write);
                continue;
            }
            connection.Run("SAVEPOINT w", tx);
            var mark = CommittedMark(tx);
            if (await write.RunAsync(tx, final: true) is not { } failure)
            {
                connection.Run("RELEASE w", tx);
                applied.Add(write);
            }
            else
            {
                connection.Run("ROLLBACK TO w; RELEASE w", tx);
                RollBackCommitted(tx, mark);
                failed ??= failure;
            }
        }
        await tx.CommitAsync();
        RunCommitted(tx);      // before the callers resume, so they see what the actions did; an action's fault is logged
        foreach (var write in applied) write.Complete();
        return failed;
    }

    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        if (_writer.IsValueCreated) await _writer.Value;
        await (_connection?.DisposeAsync() ?? ValueTask.CompletedTask);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "A write of a group commit of {Count} failed; the batch runs again with a savepoint per write")]
    private static partial void LogRunAgain(ILogger logger, int count, Exception exception);

    /// <summary>WAL is a property of the file, set once when the schema is migrated.</summary>
    internal const string SqlEnableWal = "PRAGMA journal_mode = WAL;";

    private interface IWrite
    {
        bool Cancelled { get; }
        /// <summary>Runs the work: null when it succeeded, else its exception. The exception reaches the caller only when
        /// <paramref name="final"/>; else the batch runs again with savepoints, and the write with it.</summary>
        Task<Exception?> RunAsync(DbTransaction tx, bool final);
        void Complete();
        void Fail(Exception e);
        void Cancel();
    }

    private sealed class Write<T>(Func<DbTransaction, Task<T>> work, CancellationToken ct) : IWrite
    {
        private T? _value;
        private Exception? _error;

        public TaskCompletionSource<T> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public bool Cancelled => ct.IsCancellationRequested;

        /// <summary>Null when the work succeeded. On the final run its own failure is kept for its caller, never the
        /// batch's.</summary>
        public async Task<Exception?> RunAsync(DbTransaction tx, bool final)
        {
            try
            {
                _value = await work(tx);
                return null;
            }
            catch (Exception e)
            {
                // Not final: not lost, the batch is rolled back and runs again, each write in its own savepoint, where this
                // work runs again and its failure, if it fails again, reaches its caller (the first one is logged).
                if (final)
                {
                    _error = e;
                    Result.TrySetException(e);
                }
                return e;
            }
        }

        public void Complete() => Result.TrySetResult(_value!);
        public void Fail(Exception e) { if (_error is null) Result.TrySetException(e); }
        public void Cancel() => Result.TrySetCanceled(ct);
    }
}
