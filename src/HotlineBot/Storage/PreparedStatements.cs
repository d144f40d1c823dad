using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;

namespace HotlineBot.Storage;

/// <summary>
/// The SQLite writer's connection with its statements kept prepared. Microsoft.Data.Sqlite prepares a statement per
/// command object, and Dapper makes a new command for every call, so each write re-parsed every SQL text it ran (the
/// largest cost on the writer, which runs every write in turn). Here Dapper's commands are light stand-ins: each
/// execution borrows the prepared <see cref="SqliteCommand"/> kept for its text, moves its parameters onto it, and
/// runs it. One writer uses the connection at a time (<see cref="SqliteDatabase"/>'s loop), and Dapper's buffered
/// queries dispose their reader before they return, so a kept command is free again when the next call borrows it (were
/// it not, Microsoft.Data.Sqlite throws rather than mix two readers). The cache keeps the first <see cref="Capacity"/>
/// texts (the hot ones run from the first minutes on); others get a command of their own, disposed after its use. Only the writer connection is wrapped: readers open plain
/// pooled connections.
/// </summary>
internal sealed class PreparedStatements(SqliteConnection inner) : DbConnection
{
    public const int Capacity = 256;
    private readonly Dictionary<string, SqliteCommand> _prepared = new(StringComparer.Ordinal);

    public SqliteConnection Inner { get; } = inner;

    /// <summary>How many SQL texts are kept prepared.</summary>
    public int Count => _prepared.Count;

    /// <summary>The SQL texts kept prepared.</summary>
    public IEnumerable<string> Texts => _prepared.Keys;

    /// <summary>How many statements this connection has run (for tests: the statements a step costs).</summary>
    public long Executed { get; private set; }

    /// <summary>BEGIN IMMEDIATE: the file's write lock up front.</summary>
    public DbTransaction BeginImmediate() => new Transaction(this, Inner.BeginTransaction(deferred: false));

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => new Transaction(this, Inner.BeginTransaction(isolationLevel));
    protected override DbCommand CreateDbCommand() => new Command(this);

    [AllowNull]
    public override string ConnectionString { get => Inner.ConnectionString; set => throw new NotSupportedException(); }
    public override string Database => Inner.Database;
    public override string DataSource => Inner.DataSource;
    public override string ServerVersion => Inner.ServerVersion;
    public override ConnectionState State => Inner.State;
    public override void ChangeDatabase(string databaseName) => throw new NotSupportedException();
    public override void Open() { if (Inner.State != ConnectionState.Open) Inner.Open(); }
    public override void Close() => Inner.Close();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var command in _prepared.Values) command.Dispose();
            _prepared.Clear();
            Inner.Dispose();
        }
        base.Dispose(disposing);
    }

    private readonly Dictionary<string, string> _prefixed = new(StringComparer.Ordinal);

    /// <summary><c>@</c> and the name, made once per name.</summary>
    private string Prefixed(string name)
    {
        if (!_prefixed.TryGetValue(name, out var prefixed)) _prefixed[name] = prefixed = "@" + name;
        return prefixed;
    }

    /// <summary>Runs one of the writer's own statements (no parameters: SAVEPOINT, RELEASE, …) on its kept prepared
    /// command, without Dapper's per-call objects: a group commit run again with savepoints runs two of these around every
    /// write.</summary>
    public void Run(string sql, DbTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var command = Borrow(sql, out var kept);
        Executed++;
        command.Transaction = ((Transaction)transaction).Inner;
        try { command.ExecuteNonQuery(); }
        finally { if (!kept) command.Dispose(); }
    }

    /// <summary>The prepared command for <paramref name="sql"/>, or a command of its own when the cache is full
    /// (<paramref name="kept"/> false: the caller disposes it).</summary>
    private SqliteCommand Borrow(string sql, out bool kept)
    {
        if (_prepared.TryGetValue(sql, out var command))
        {
            kept = true;
            return command;
        }
        command = Inner.CreateCommand();
        command.CommandText = sql;
        // Prepared on its first run, one statement after another (a script may create what its next statement uses),
        // and kept prepared by the command from then on.
        kept = _prepared.Count < Capacity;
        if (kept) _prepared[sql] = command;
        return command;
    }

    private sealed class Transaction(PreparedStatements connection, SqliteTransaction inner) : DbTransaction
    {
        public SqliteTransaction Inner { get; } = inner;
        protected override DbConnection DbConnection => connection;
        public override IsolationLevel IsolationLevel => Inner.IsolationLevel;
        public override void Commit() => Inner.Commit();
        public override void Rollback() => Inner.Rollback();

        protected override void Dispose(bool disposing)
        {
            if (disposing) Inner.Dispose();
            base.Dispose(disposing);
        }
    }

    /// <summary>The values of one call, until they move onto the prepared command (a collection of its own, not a whole
    /// command made to hold it).</summary>
    private sealed class Parameters : SqliteParameterCollection;

    /// <summary>What Dapper fills in; the work happens on the borrowed prepared command.</summary>
    private sealed class Command(PreparedStatements connection) : DbCommand
    {
        private readonly Parameters _parameters = new();

        [AllowNull]
        public override string CommandText { get; set; } = "";
        public override int CommandTimeout { get; set; } = 30;
        public override CommandType CommandType { get; set; } = CommandType.Text;
        public override bool DesignTimeVisible { get; set; }
        public override UpdateRowSource UpdatedRowSource { get; set; }
        protected override DbConnection? DbConnection { get => connection; set => throw new NotSupportedException(); }
        protected override DbParameterCollection DbParameterCollection => _parameters;
        protected override DbTransaction? DbTransaction { get; set; }
        public override void Cancel() { }
        public override void Prepare() { }
        protected override DbParameter CreateDbParameter() => new SqliteParameter();

        private SqliteCommand Ready(out bool kept)
        {
            if (CommandType != CommandType.Text) throw new NotSupportedException("SQLite runs text commands only");
            var command = connection.Borrow(CommandText, out kept);
            connection.Executed++;
            command.Transaction = (DbTransaction as Transaction)?.Inner;
            command.CommandTimeout = CommandTimeout;
            command.Parameters.Clear();
            foreach (SqliteParameter parameter in _parameters)
            {
                // Dapper names a parameter without its prefix (Id for @Id). Microsoft.Data.Sqlite then looks the bare
                // name up in the statement, and after that every prefixed form (@, $, :) to rule out an ambiguous one:
                // four lookups, three of them building a string and converting it to UTF-8, for every parameter of
                // every execution (a sixth of the writer's time under load, tools/README.md). Our SQL writes @Name.
                if (parameter.ParameterName is [not ('@' or '$' or ':'), ..] name) parameter.ParameterName = connection.Prefixed(name);
                command.Parameters.Add(parameter);
            }
            return command;
        }

        public override int ExecuteNonQuery()
        {
            var command = Ready(out var kept);
            try { return command.ExecuteNonQuery(); }
            finally { Done(command, kept); }
        }

        public override object? ExecuteScalar()
        {
            var command = Ready(out var kept);
            try { return command.ExecuteScalar(); }
            finally { Done(command, kept); }
        }

        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior)
        {
            // The reader holds the command until it is disposed (Dapper does before its call returns); a command of its
            // own is disposed with this one (Dapper disposes the command after the reader).
            var command = Ready(out var kept);
            if (kept) _read = command;
            else _own = command;
            return command.ExecuteReader(behavior);
        }

        private SqliteCommand? _own;
        private SqliteCommand? _read;

        public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken) => Task.FromResult(ExecuteNonQuery());
        public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken) => Task.FromResult(ExecuteScalar());
        protected override Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken) =>
            Task.FromResult(ExecuteDbDataReader(behavior));

        private static void Done(SqliteCommand command, bool kept)
        {
            if (kept) command.Parameters.Clear();
            else command.Dispose();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                // The kept command lets go of this call's values (texts the purge may erase from the database).
                _read?.Parameters.Clear();
                _own?.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
