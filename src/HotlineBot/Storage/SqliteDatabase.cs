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
/// write from the start would cost every write a copy of each page it touches (tools/README.md).
/// </summary>
public sealed partial class SqliteDatabase : Database, IAsyncDisposable
{
    // secure_delete=FAST: what an update or purge replaces is zeroed on the pages being written anyway (no extra I/O),
    // so purged personal data does not linger in free space. temp_store=MEMORY: each write of a group commit runs in its
    // own savepoint, whose sub-journal SQLite otherwise keeps in a temporary file — 70 % of the writer's pwrite calls
    // under load (tools/README.md). It is not needed after a crash (the WAL is), so keeping it in memory costs no safety.
    private const string SqlPragmas = "PRAGMA busy_timeout = 30000; PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA secure_delete = FAST; PRAGMA temp_store = MEMORY;";
    private const int MaxBatch = 64;
    /// <summary>After a batch had to run again, this many batches run with savepoints from the start: writes that keep
    /// failing (a message that breaks its write every time it is retried) cost their batch one run, not two.</summary>
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

    /// <summary>Every SQL text the writer has run and keeps prepared, read on the writer itself (for tests: each one's
    /// query plan).</summary>
    internal Task<List<string>> PreparedTextsAsync() => WriteAsync(_ => Task.FromResult(_connection?.Texts.ToList() ?? []), CancellationToken.None);

    /// <summary>How many statements the writer has run, read on the writer itself (for tests).</summary>
    internal Task<long> ExecutedAsync() => WriteAsync(_ => Task.FromResult(_connection?.Executed ?? 0), CancellationToken.None);

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
        if (_savepointBatches > 0) _savepointBatches--;
        else if (await TryCommitAsync(connection, batch, savepoints: false)) return;
        else
        {
            _savepointBatches = SavepointBatchesAfterAFailure;
            BatchesRunAgain++;
            if (_logger is not null) LogRunAgain(_logger, batch.Count);
        }
        await TryCommitAsync(connection, batch, savepoints: true);
    }

    /// <summary>How many batches ran again with a savepoint per write because one of their writes failed (for tests).</summary>
    internal long BatchesRunAgain { get; private set; }

    /// <summary>Runs the batch in one transaction and commits it. Without <paramref name="savepoints"/>, a write that
    /// fails rolls the whole transaction back (nothing committed, no caller answered: false); with them, each write runs
    /// inside its own SAVEPOINT and a failing one undoes only its own writes (SQLite copies every page a write inside a
    /// savepoint changes into the savepoint's journal, most of the cost of a savepoint: tools/README.md).</summary>
    private async Task<bool> TryCommitAsync(PreparedStatements connection, List<IWrite> batch, bool savepoints)
    {
        // BEGIN IMMEDIATE takes the file's write lock up front; the busy timeout covers another process (migrate).
        await using var tx = connection.BeginImmediate();
        var applied = new List<IWrite>(batch.Count);
        foreach (var write in batch)
        {
            if (write.Cancelled) { write.Cancel(); continue; }
            if (!savepoints)
            {
                if (!await write.RunAsync(tx, final: false))
                {
                    RollBackCommitted(tx, 0);      // its disposal rolls the transaction back
                    return false;
                }
                applied.Add(write);
                continue;
            }
            connection.Run("SAVEPOINT w", tx);
            var mark = CommittedMark(tx);
            if (await write.RunAsync(tx, final: true))
            {
                connection.Run("RELEASE w", tx);
                applied.Add(write);
            }
            else
            {
                connection.Run("ROLLBACK TO w; RELEASE w", tx);
                RollBackCommitted(tx, mark);
            }
        }
        await tx.CommitAsync();
        RunCommitted(tx);      // before the callers resume, so they see what the actions did; an action's fault is logged
        foreach (var write in applied) write.Complete();
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        if (_writer.IsValueCreated) await _writer.Value;
        await (_connection?.DisposeAsync() ?? ValueTask.CompletedTask);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "A write of a group commit of {Count} failed; the batch runs again with a savepoint per write")]
    private static partial void LogRunAgain(ILogger logger, int count);

    /// <summary>WAL is a property of the file, set once when the schema is migrated.</summary>
    internal const string SqlEnableWal = "PRAGMA journal_mode = WAL;";

    private interface IWrite
    {
        bool Cancelled { get; }
        /// <summary>True when the work succeeded. Its failure reaches its caller only when <paramref name="final"/>: else
        /// the batch runs again with savepoints and the write with it.</summary>
        Task<bool> RunAsync(DbTransaction tx, bool final);
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

        /// <summary>True when the work succeeded; its own failure is kept for its caller, never the batch's.</summary>
        public async Task<bool> RunAsync(DbTransaction tx, bool final)
        {
            try
            {
                _value = await work(tx);
                return true;
            }
            catch (Exception e) when (final)
            {
                _error = e;
                Result.TrySetException(e);
                return false;
            }
            catch (Exception) when (!final)
            {
                // Not lost: the batch is rolled back and runs again, each write in its own savepoint, where this work
                // runs again and its failure, if it fails again, reaches its caller.
                return false;
            }
        }

        public void Complete() => Result.TrySetResult(_value!);
        public void Fail(Exception e) { if (_error is null) Result.TrySetException(e); }
        public void Cancel() => Result.TrySetCanceled(ct);
    }
}
