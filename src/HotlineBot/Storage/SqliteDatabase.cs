using System.Data.Common;
using System.Threading.Channels;
using Dapper;
using Microsoft.Data.Sqlite;

namespace HotlineBot.Storage;

/// <summary>
/// SQLite, the embedded default. WAL so readers never block the writer; <c>synchronous=FULL</c> so an acknowledged
/// message survives a power cut. SQLite has one writer at a time, so writes go through one writer loop with group
/// commit: it takes every write waiting at that moment, runs each inside its own SAVEPOINT (one failure undoes only
/// its own writes), then commits once — one fsync for the batch — before any caller is answered.
/// </summary>
public sealed class SqliteDatabase : Database, IAsyncDisposable
{
    // secure_delete=FAST: what an update or purge replaces is zeroed on the pages being written anyway (no extra I/O),
    // so purged personal data does not linger in free space. temp_store=MEMORY: each write of a group commit runs in its
    // own savepoint, whose sub-journal SQLite otherwise keeps in a temporary file — 70 % of the writer's pwrite calls
    // under load (tools/README.md). It is not needed after a crash (the WAL is), so keeping it in memory costs no safety.
    private const string SqlPragmas = "PRAGMA busy_timeout = 30000; PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA secure_delete = FAST; PRAGMA temp_store = MEMORY;";
    private const int MaxBatch = 64;
    private readonly string _connectionString;
    private readonly Channel<IWrite> _writes = Channel.CreateUnbounded<IWrite>(new() { SingleReader = true });
    private readonly Lazy<Task> _writer;

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
        // BEGIN IMMEDIATE takes the file's write lock up front; the busy timeout covers another process (migrate).
        await using var tx = connection.BeginImmediate();
        var applied = new List<IWrite>(batch.Count);
        foreach (var write in batch)
        {
            if (write.Cancelled) { write.Cancel(); continue; }
            connection.Run("SAVEPOINT w", tx);
            var mark = CommittedMark(tx);
            if (await write.RunAsync(tx))
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
    }

    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        if (_writer.IsValueCreated) await _writer.Value;
        await (_connection?.DisposeAsync() ?? ValueTask.CompletedTask);
    }

    /// <summary>WAL is a property of the file, set once when the schema is migrated.</summary>
    internal const string SqlEnableWal = "PRAGMA journal_mode = WAL;";

    private interface IWrite
    {
        bool Cancelled { get; }
        Task<bool> RunAsync(DbTransaction tx);
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
        public async Task<bool> RunAsync(DbTransaction tx)
        {
            try
            {
                _value = await work(tx);
                return true;
            }
            catch (Exception e)
            {
                _error = e;
                Result.TrySetException(e);
                return false;
            }
        }

        public void Complete() => Result.TrySetResult(_value!);
        public void Fail(Exception e) { if (_error is null) Result.TrySetException(e); }
        public void Cancel() => Result.TrySetCanceled(ct);
    }
}
