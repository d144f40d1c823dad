using System.Collections;
using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace HotlineBot.Storage;

/// <summary>
/// The SQLite writer's connection with its statements kept prepared. Microsoft.Data.Sqlite prepares a statement per
/// command object, and Dapper makes a new command for every call, so each write re-parsed every SQL text it ran (the
/// largest cost on the writer, which runs every write in turn). Here Dapper's commands are light stand-ins: each
/// execution takes the statement kept for its text, binds its parameters and runs it. A text of one statement is kept
/// as SQLite's own prepared statement and run through SQLitePCLRaw, the layer Microsoft.Data.Sqlite itself calls, with
/// the same calls it makes (<see cref="Statement"/>): its names looked up once, not per execution, and no command, reader,
/// binder or stopwatch made for each run — Microsoft.Data.Sqlite's objects for one execution were a quarter of the
/// bytes the service allocated under load (tools/README.md). A script of several statements keeps a prepared
/// <see cref="SqliteCommand"/> (it prepares each statement after the one before has run, which a script that creates
/// what it uses needs), as does a call with a parameter of a type the direct path does not bind.
/// One writer uses the connection at a time (<see cref="SqliteDatabase"/>'s loop), and Dapper's buffered queries
/// dispose their reader before they return, so a kept statement is free again when the next call takes it (were it
/// not, the call throws rather than mix two readers). The cache keeps the <see cref="Capacity"/> texts run most
/// recently: a text run once (a migration, a list Dapper expanded to a length seen once, each day's purge) gives way to
/// a new one, and a hot text stays prepared however long the service runs (before, the first texts were kept for good,
/// and a text first run once they filled the cache was prepared anew on every run). Only the writer connection is
/// wrapped: readers open plain pooled connections.
/// </summary>
internal sealed class PreparedStatements(SqliteConnection inner) : DbConnection
{
    public const int Capacity = 256;
    private readonly Dictionary<string, Kept> _prepared = new(StringComparer.Ordinal);
    /// <summary>The kept texts, the one run most recently first.</summary>
    private readonly LinkedList<Kept> _recent = new();
    private Transaction? _transaction;

    public SqliteConnection Inner { get; } = inner;

    /// <summary>How many SQL texts are kept prepared.</summary>
    public int Count => _prepared.Count;

    /// <summary>The SQL texts kept prepared.</summary>
    public IEnumerable<string> Texts => _prepared.Keys;

    /// <summary>How many statements this connection has run (for tests: the statements a step costs).</summary>
    public long Executed { get; private set; }

    /// <summary>How many kept texts gave way to newer ones (for tests).</summary>
    public long Evicted { get; private set; }

    /// <summary>How many runs of a text went through a Microsoft.Data.Sqlite command of their own instead of the kept
    /// statement: every kept text in use, or a value of a type only Microsoft.Data.Sqlite binds (for tests: none of the
    /// writer's own). A kept script runs on its kept command and is not counted.</summary>
    public long RunOnCommands { get; private set; }

    /// <summary>BEGIN IMMEDIATE: the file's write lock up front.</summary>
    public DbTransaction BeginImmediate() => _transaction = new Transaction(this, Inner.BeginTransaction(deferred: false));

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) =>
        _transaction = new Transaction(this, Inner.BeginTransaction(isolationLevel));

    protected override DbCommand CreateDbCommand() => new Command(this);

    [AllowNull]
    public override string ConnectionString { get => Inner.ConnectionString; set => throw new NotSupportedException(); }
    public override string Database => Inner.Database;
    public override string DataSource => Inner.DataSource;
    public override string ServerVersion => Inner.ServerVersion;
    public override ConnectionState State => Inner.State;
    public override void ChangeDatabase(string databaseName) => throw new NotSupportedException();
    public override void Open() { if (Inner.State != ConnectionState.Open) Inner.Open(); }
    /// <summary>The kept statements belong to the connection's handle, which closing gives back to the pool: they go
    /// with it (the writer never closes its connection; it disposes it and opens a new one).</summary>
    public override void Close()
    {
        DisposeKept();
        _transaction = null;
        Inner.Close();
    }

    private void DisposeKept()
    {
        foreach (var kept in _prepared.Values) kept.Dispose();
        _prepared.Clear();
        _recent.Clear();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            DisposeKept();
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
    /// statement, without Dapper's per-call objects: a group commit run again with savepoints runs two of these around
    /// every write.</summary>
    public void Run(string sql, DbTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var kept = Borrow(sql);
        Executed++;
        if (kept?.Statement is { } statement)
        {
            CheckTransaction(transaction);
            statement.Execute(Inner.Handle!, NoParameters, Inner.DefaultTimeout).Dispose();
            return;
        }
        if (kept?.Command is null) RunOnCommands++;
        var command = kept?.Command ?? NewCommand(sql);
        command.Transaction = ((Transaction)transaction).Inner;
        try { command.ExecuteNonQuery(); }
        finally { if (kept is null) command.Dispose(); }
    }

    /// <summary>What Microsoft.Data.Sqlite checks before it runs a command: the connection's open transaction is the
    /// command's.</summary>
    private void CheckTransaction(DbTransaction? transaction)
    {
        if (Inner.State != ConnectionState.Open) throw new InvalidOperationException("The writer's connection is not open.");
        if (!ReferenceEquals(transaction, _transaction))
            throw new InvalidOperationException(transaction is null
                ? "The writer's statements run in the transaction open on its connection; this one was given none."
                : "The transaction given is not the one open on the writer's connection.");
        // SQLite rolls a transaction back by itself after some errors (a full disk, I/O, out of memory): a statement run
        // then would run on its own, outside the batch, and a SAVEPOINT would begin a transaction of its own. Refused, as
        // Microsoft.Data.Sqlite refuses it.
        if (_transaction is not null && raw.sqlite3_get_autocommit(Inner.Handle) != 0)
            throw new InvalidOperationException("The transaction has completed; it was rolled back by SQLite after an error.");
    }

    /// <summary>The statement kept for <paramref name="sql"/>, prepared on its first run, the least recently run one
    /// let go when the cache is full; null only should every kept one be in use (the caller then runs a command of its
    /// own and disposes it).</summary>
    private Kept? Borrow(string sql)
    {
        if (_prepared.TryGetValue(sql, out var kept))
        {
            if (kept.Node != _recent.First)
            {
                _recent.Remove(kept.Node);
                _recent.AddFirst(kept.Node);
            }
            return kept;
        }
        kept = Kept.Prepare(Inner, sql);     // first: a text that fails to prepare lets no other go
        if (_prepared.Count >= Capacity && !EvictLeastRecent())
        {
            kept.Dispose();
            return null;
        }
        _prepared[sql] = kept;
        _recent.AddFirst(kept.Node);
        return kept;
    }

    /// <summary>Lets go of the least recently run text that no open reader is reading.</summary>
    private bool EvictLeastRecent()
    {
        for (var node = _recent.Last; node is not null; node = node.Previous)
        {
            if (node.Value.InUse) continue;
            _recent.Remove(node);
            _prepared.Remove(node.Value.Sql);
            node.Value.Dispose();
            Evicted++;
            return true;
        }
        return false;
    }

    private SqliteCommand NewCommand(string sql)
    {
        var command = Inner.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private sealed class Transaction(PreparedStatements connection, SqliteTransaction inner) : DbTransaction
    {
        public SqliteTransaction Inner { get; } = inner;
        protected override DbConnection DbConnection => connection;
        public override IsolationLevel IsolationLevel => Inner.IsolationLevel;

        public override void Commit()
        {
            Inner.Commit();
            Ended();
        }

        public override void Rollback()
        {
            Inner.Rollback();
            Ended();
        }

        private void Ended()
        {
            if (ReferenceEquals(connection._transaction, this)) connection._transaction = null;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                try { Inner.Dispose(); }
                finally { Ended(); }
            }
            base.Dispose(disposing);
        }
    }

    /// <summary>A kept SQL text: SQLite's prepared statement when it is one statement, else a prepared
    /// <see cref="SqliteCommand"/> (a script).</summary>
    private sealed class Kept : IDisposable
    {
        private Kept(string sql) => (Sql, Node) = (sql, new LinkedListNode<Kept>(this));

        public string Sql { get; }
        public LinkedListNode<Kept> Node { get; }
        public Statement? Statement { get; private init; }
        public SqliteCommand? Command { get; private init; }
        /// <summary>The last reader of the script's command (Dapper disposes it before its call returns).</summary>
        public SqliteDataReader? Reader { get; set; }
        public bool InUse => Statement?.InUse ?? Reader is { IsClosed: false };

        public static Kept Prepare(SqliteConnection connection, string sql)
        {
            var db = connection.Handle!;
            var started = Stopwatch.GetTimestamp();
            int rc;
            sqlite3_stmt stmt;
            string tail;
            // Tried again while the schema is locked, until the connection's timeout (as Microsoft.Data.Sqlite does).
            while ((rc = raw.sqlite3_prepare_v2(db, sql, out stmt, out tail)) is raw.SQLITE_BUSY or raw.SQLITE_LOCKED or raw.SQLITE_LOCKED_SHAREDCACHE
                   && Stopwatch.GetElapsedTime(started).TotalSeconds < connection.DefaultTimeout)
            {
                stmt?.Dispose();
                Thread.Sleep(150);
            }
            if (rc != raw.SQLITE_OK)
            {
                stmt?.Dispose();
                SqliteException.ThrowExceptionForRC(rc, db);
            }
            if (stmt is null || stmt.IsInvalid || !string.IsNullOrWhiteSpace(tail))
            {
                // Empty, or a script: Microsoft.Data.Sqlite prepares each of its statements after the one before it ran.
                stmt?.Dispose();
                var command = connection.CreateCommand();
                command.CommandText = sql;
                return new Kept(sql) { Command = command };
            }
            return new Kept(sql) { Statement = new Statement(stmt) };
        }

        public void Dispose()
        {
            Statement?.Dispose();
            Command?.Dispose();
        }
    }

    /// <summary>
    /// One of SQLite's prepared statements and what is known of it once: its parameters' numbers by name and its
    /// columns' names. It binds, steps and reads through the calls Microsoft.Data.Sqlite makes for the same work
    /// (<c>SqliteParameter.Bind</c>, <c>SqliteValueBinder</c>, <c>SqliteDataReader.NextResult</c>), so a value reads
    /// back as it would there; <c>PreparedStatementsTests</c> runs the same statements through both and compares.
    /// </summary>
    internal sealed class Statement : IDisposable
    {
        private const int Ambiguous = -1;
        /// <summary>SQLITE_STMTSTATUS_REPREPARE (sqlite3.h; SQLitePCLRaw names only the first four counters).</summary>
        private const int StmtStatusReprepare = 5;
        private readonly sqlite3_stmt _stmt;
        private readonly Dictionary<string, int> _parameters = new(StringComparer.Ordinal);
        private string[] _names = [];
        private int?[]? _affinities;
        private int _reprepared;

        public Statement(sqlite3_stmt stmt)
        {
            _stmt = stmt;
            var count = raw.sqlite3_bind_parameter_count(stmt);
            ParameterCount = count;
            for (var i = 1; i <= count; i++)
            {
                if (raw.sqlite3_bind_parameter_name(stmt, i).utf8_to_string() is not { Length: > 1 } name) continue;   // ?: by number only
                _parameters[name] = i;
                if (name[0] is not ('@' or '$' or ':')) continue;
                // A name without its prefix finds the one prefixed parameter of that name, as in Microsoft.Data.Sqlite
                // (it tries @, $ and :, and an ambiguous one is an error).
                var bare = name[1..];
                _parameters[bare] = _parameters.TryGetValue(bare, out var other) && other != i ? Ambiguous : i;
            }
            ReadColumns();
        }

        /// <summary>The columns' names, read once, and again should SQLite have prepared the statement anew (a schema
        /// change: a <c>SELECT *</c> may then have other columns).</summary>
        private void ReadColumns()
        {
            _reprepared = raw.sqlite3_stmt_status(_stmt, StmtStatusReprepare, 0);
            _names = new string[raw.sqlite3_column_count(_stmt)];
            for (var i = 0; i < _names.Length; i++) _names[i] = raw.sqlite3_column_name(_stmt, i).utf8_to_string();
            _affinities = null;
        }

        public int ParameterCount { get; }
        public bool InUse { get; private set; }
        public int FieldCount => _names.Length;
        public string Name(int ordinal) => _names[ordinal];

        public int Ordinal(string name)
        {
            for (var i = 0; i < _names.Length; i++) if (_names[i] == name) return i;
            for (var i = 0; i < _names.Length; i++) if (string.Equals(_names[i], name, StringComparison.OrdinalIgnoreCase)) return i;
            throw new ArgumentOutOfRangeException(nameof(name), name, null);
        }

        /// <summary>The declared type's affinity of a column (for a NULL's field type), read once.</summary>
        public int Affinity(int ordinal)
        {
            _affinities ??= new int?[_names.Length];
            return _affinities[ordinal] ??= AffinityOf(DeclaredType(ordinal));
        }

        public string? DeclaredType(int ordinal) => raw.sqlite3_column_decltype(_stmt, ordinal).utf8_to_string();

        /// <summary>Whether every value is of a type bound here; else the call runs on a command
        /// (<c>DateTime</c>, <c>Guid</c>, <c>decimal</c>, an enum: the writer's statements take none of them).</summary>
        public static bool Binds(SqliteParameterCollection parameters)
        {
            foreach (SqliteParameter parameter in parameters)
            {
                switch (parameter.Value)
                {
                    case null or DBNull or string or long or int or bool or double or byte[] or short or byte or sbyte or ushort or uint or ulong or float:
                        continue;
                    default:
                        return false;
                }
            }
            return true;
        }

        /// <summary>Binds the values and takes the first step: the statement's changes are made (and a row read) or it
        /// throws <see cref="SqliteException"/>, the statement reset for its next run.</summary>
        public Reader Execute(sqlite3 db, SqliteParameterCollection parameters, int commandTimeout)
        {
            if (InUse) throw new InvalidOperationException("A reader of this statement is still open on the writer's connection.");
            InUse = true;
            try
            {
                Bind(db, parameters);
                var rc = Step(commandTimeout);
                if (rc is not (raw.SQLITE_ROW or raw.SQLITE_DONE)) SqliteException.ThrowExceptionForRC(rc, db);
                if (raw.sqlite3_stmt_status(_stmt, StmtStatusReprepare, 0) != _reprepared) ReadColumns();
                if (FieldCount != 0) return new Reader(this, db, hasRows: rc == raw.SQLITE_ROW);
                while (rc != raw.SQLITE_DONE)
                {
                    rc = raw.sqlite3_step(_stmt);
                    if (rc is not (raw.SQLITE_ROW or raw.SQLITE_DONE)) SqliteException.ThrowExceptionForRC(rc, db);
                }
                var changes = raw.sqlite3_changes(db);
                return new Reader(this, db, hasRows: false, changes);
            }
            catch
            {
                Release();
                throw;
            }
        }

        private void Bind(sqlite3 db, SqliteParameterCollection parameters)
        {
            var bound = 0;
            foreach (SqliteParameter parameter in parameters)
            {
                if (string.IsNullOrEmpty(parameter.ParameterName)) throw new InvalidOperationException("ParameterName must be set.");
                if (!_parameters.TryGetValue(parameter.ParameterName, out var index)) continue;
                if (index == Ambiguous) throw new InvalidOperationException($"Cannot bind the value for parameter '{parameter.ParameterName}' because multiple matching parameters were found in the command text. Specify the parameter name with the symbol prefix, e.g. '@{parameter.ParameterName}'.");
                var rc = parameter.Value switch
                {
                    null => throw new InvalidOperationException("Value must be set."),
                    DBNull => raw.sqlite3_bind_null(_stmt, index),
                    string text => raw.sqlite3_bind_text(_stmt, index, Truncated(parameter, text)),
                    long number => raw.sqlite3_bind_int64(_stmt, index, number),
                    int number => raw.sqlite3_bind_int64(_stmt, index, number),
                    bool flag => raw.sqlite3_bind_int64(_stmt, index, flag ? 1 : 0),
                    double number => BindDouble(index, number),
                    byte[] blob => raw.sqlite3_bind_blob(_stmt, index, Truncated(parameter, blob)),
                    short number => raw.sqlite3_bind_int64(_stmt, index, number),
                    byte number => raw.sqlite3_bind_int64(_stmt, index, number),
                    sbyte number => raw.sqlite3_bind_int64(_stmt, index, number),
                    ushort number => raw.sqlite3_bind_int64(_stmt, index, number),
                    uint number => raw.sqlite3_bind_int64(_stmt, index, number),
                    ulong number => raw.sqlite3_bind_int64(_stmt, index, unchecked((long)number)),
                    float number => BindDouble(index, number),
                    var other => throw new UnreachableException($"{other.GetType()} is not bound here ({nameof(Binds)})"),
                };
                if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, db);
                bound++;
            }
            if (bound != ParameterCount)
            {
                var missing = new List<string>();
                for (var i = 1; i <= ParameterCount; i++)
                {
                    var name = raw.sqlite3_bind_parameter_name(_stmt, i).utf8_to_string();
                    if (!parameters.Cast<SqliteParameter>().Any(p => p.ParameterName == name || "@" + p.ParameterName == name)) missing.Add(name);
                }
                throw new InvalidOperationException($"Must add values for the following parameters: {string.Join(", ", missing)}");
            }
        }

        private int BindDouble(int index, double value) => double.IsNaN(value)
            ? throw new InvalidOperationException("Cannot store 'NaN' values.")
            : raw.sqlite3_bind_double(_stmt, index, value);

        /// <summary>A parameter's Size cuts its value, as in Microsoft.Data.Sqlite (Dapper sets none that cuts).</summary>
        private static string Truncated(SqliteParameter parameter, string text) =>
            parameter.Size is var size && size != -1 && text.Length > size ? text[..size] : text;

        private static byte[] Truncated(SqliteParameter parameter, byte[] blob) =>
            parameter.Size is var size && size != -1 && blob.Length > size ? blob[..size] : blob;

        /// <summary>A step, tried again while the database is busy until the command's timeout (the writer holds the
        /// write lock from BEGIN IMMEDIATE, so this is for a reader's checkpoint at most).</summary>
        private int Step(int commandTimeout)
        {
            var started = Stopwatch.GetTimestamp();
            int rc;
            while ((rc = raw.sqlite3_step(_stmt)) is raw.SQLITE_BUSY or raw.SQLITE_LOCKED or raw.SQLITE_LOCKED_SHAREDCACHE)
            {
                if (commandTimeout != 0 && Stopwatch.GetElapsedTime(started).TotalMilliseconds >= commandTimeout * 1000L) break;
                raw.sqlite3_reset(_stmt);
                Thread.Sleep(150);
            }
            return rc;
        }

        /// <summary>Ready for the next run: reset, and this run's values let go (texts the purge may erase).</summary>
        public void Release()
        {
            raw.sqlite3_reset(_stmt);
            raw.sqlite3_clear_bindings(_stmt);
            InUse = false;
        }

        public int Next(sqlite3 db)
        {
            var rc = raw.sqlite3_step(_stmt);
            if (rc is not (raw.SQLITE_ROW or raw.SQLITE_DONE)) SqliteException.ThrowExceptionForRC(rc, db);
            return rc;
        }

        public bool ReadOnly => raw.sqlite3_stmt_readonly(_stmt) != 0;
        public int Type(int ordinal) => raw.sqlite3_column_type(_stmt, ordinal);
        public long Int64(int ordinal) => raw.sqlite3_column_int64(_stmt, ordinal);
        public double Double(int ordinal) => raw.sqlite3_column_double(_stmt, ordinal);
        public string Text(int ordinal) => raw.sqlite3_column_text(_stmt, ordinal).utf8_to_string();
        public byte[] Blob(int ordinal) => raw.sqlite3_column_blob(_stmt, ordinal).ToArray();

        public void Dispose() => _stmt.Dispose();

        /// <summary>Microsoft.Data.Sqlite's rule for a declared type's affinity (<c>SqliteDataRecord</c>): NUMERIC is
        /// read as TEXT, no type as BLOB.</summary>
        internal static int AffinityOf(string? declared)
        {
            if (declared is null) return raw.SQLITE_BLOB;
            if (declared.Contains("INT", StringComparison.OrdinalIgnoreCase)) return raw.SQLITE_INTEGER;
            if (declared.Contains("CHAR", StringComparison.OrdinalIgnoreCase) || declared.Contains("CLOB", StringComparison.OrdinalIgnoreCase)
                || declared.Contains("TEXT", StringComparison.OrdinalIgnoreCase)) return raw.SQLITE_TEXT;
            if (declared.Contains("BLOB", StringComparison.OrdinalIgnoreCase)) return raw.SQLITE_BLOB;
            if (declared.Contains("REAL", StringComparison.OrdinalIgnoreCase) || declared.Contains("FLOA", StringComparison.OrdinalIgnoreCase)
                || declared.Contains("DOUB", StringComparison.OrdinalIgnoreCase)) return raw.SQLITE_FLOAT;
            return raw.SQLITE_TEXT;
        }
    }

    /// <summary>The rows of one run of a <see cref="Statement"/>, read as Microsoft.Data.Sqlite's reader reads them
    /// (<see cref="GetValue"/>: INTEGER a long, REAL a double, TEXT a string, BLOB a byte[]; a NULL's field type from its
    /// column's declared type). Disposing it resets the statement for its next run.</summary>
    internal sealed class Reader : DbDataReader
    {
        private readonly Statement _statement;
        private readonly sqlite3 _db;
        private readonly bool _hasRows;
        private bool _stepped;
        private bool _row;
        private bool _released;
        private bool _closed;
        private int _recordsAffected;
        private int?[]? _types;

        public Reader(Statement statement, sqlite3 db, bool hasRows, int changes = -1)
        {
            _statement = statement;
            _db = db;
            _hasRows = hasRows;
            _row = hasRows;
            _recordsAffected = changes;
            // No columns (a change without RETURNING): nothing to read, the statement free at once; the reader stays open
            // with no fields and no rows, as Microsoft.Data.Sqlite's does.
            if (statement.FieldCount == 0) Release();
        }

        public override int Depth => 0;
        public override int FieldCount => Open(_released ? 0 : _statement.FieldCount);
        public override bool HasRows => _hasRows;
        public override bool IsClosed => _closed;
        public override int RecordsAffected => _recordsAffected;
        public override object this[int ordinal] => GetValue(ordinal);
        public override object this[string name] => GetValue(GetOrdinal(name));

        private T Open<T>(T value) => _closed ? throw new InvalidOperationException("The reader is closed.") : value;

        /// <summary>Its statement's columns: none once it is released.</summary>
        private Statement Columns() => Open(_released ? throw new InvalidOperationException("No data exists for the row/column.") : _statement);

        public override bool Read()
        {
            Open(0);
            if (_released) return false;
            if (!_stepped)
            {
                _stepped = true;
                return _hasRows;
            }
            if (!_row) return false;
            _row = _statement.Next(_db) == raw.SQLITE_ROW;
            return _row;
        }

        /// <summary>One statement, one result: the statement is released, the reader left with no fields.</summary>
        public override bool NextResult()
        {
            Open(0);
            Release();
            return false;
        }

        /// <summary>Releases the statement (<see cref="DbDataReader.Dispose(bool)"/> calls this).</summary>
        public override void Close()
        {
            if (_closed) return;
            Release();
            _closed = true;
        }

        /// <summary>Resets the statement for its next run, once: it may be running again for another call after.</summary>
        private void Release()
        {
            if (_released) return;
            _released = true;
            var changes = _statement.FieldCount != 0 && !_statement.ReadOnly;   // a change with RETURNING: counted now
            _statement.Release();
            if (changes) _recordsAffected = (_recordsAffected == -1 ? 0 : _recordsAffected) + raw.sqlite3_changes(_db);
        }

        private int Row(int ordinal)
        {
            var statement = Columns();
            if (!_stepped || !_row) throw new InvalidOperationException("No data exists for the row/column.");
            if ((uint)ordinal >= (uint)statement.FieldCount) throw new ArgumentOutOfRangeException(nameof(ordinal), ordinal, null);
            return statement.Type(ordinal);
        }

        public override string GetName(int ordinal) => (uint)ordinal < (uint)Columns().FieldCount
            ? _statement.Name(ordinal)
            : throw new ArgumentOutOfRangeException(nameof(ordinal), ordinal, null);

        public override int GetOrdinal(string name) => Columns().Ordinal(name);

        public override string GetDataTypeName(int ordinal)
        {
            if ((uint)ordinal >= (uint)Columns().FieldCount) throw new ArgumentOutOfRangeException(nameof(ordinal), ordinal, null);
            if (_statement.DeclaredType(ordinal) is { } declared) return declared.IndexOf('(') is var i and >= 0 ? declared[..i] : declared;
            return _statement.Type(ordinal) switch
            {
                raw.SQLITE_INTEGER => "INTEGER",
                raw.SQLITE_FLOAT => "REAL",
                raw.SQLITE_TEXT => "TEXT",
                _ => "BLOB",
            };
        }

        public override Type GetFieldType(int ordinal)
        {
            if ((uint)ordinal >= (uint)Columns().FieldCount) throw new ArgumentOutOfRangeException(nameof(ordinal), ordinal, null);
            var type = _statement.Type(ordinal);
            if (type == raw.SQLITE_NULL) type = _types?[ordinal] ?? _statement.Affinity(ordinal);
            else (_types ??= new int?[_statement.FieldCount])[ordinal] = type;
            return type switch
            {
                raw.SQLITE_INTEGER => typeof(long),
                raw.SQLITE_FLOAT => typeof(double),
                raw.SQLITE_TEXT => typeof(string),
                _ => typeof(byte[]),
            };
        }

        public override bool IsDBNull(int ordinal) => Row(ordinal) == raw.SQLITE_NULL;

        public override object GetValue(int ordinal) => Row(ordinal) switch
        {
            raw.SQLITE_INTEGER => _statement.Int64(ordinal),
            raw.SQLITE_FLOAT => _statement.Double(ordinal),
            raw.SQLITE_TEXT => _statement.Text(ordinal),
            raw.SQLITE_NULL => DBNull.Value,
            _ => _statement.Blob(ordinal),
        };

        public override int GetValues(object[] values)
        {
            ArgumentNullException.ThrowIfNull(values);
            var count = Math.Min(values.Length, FieldCount);
            for (var i = 0; i < count; i++) values[i] = GetValue(i);
            return count;
        }

        private void NotNull(int ordinal)
        {
            if (Row(ordinal) == raw.SQLITE_NULL)
                throw new InvalidOperationException($"The data is NULL at ordinal {ordinal}. This method can't be called on NULL values. Check using IsDBNull before calling.");
        }

        public override long GetInt64(int ordinal)
        {
            NotNull(ordinal);
            return _statement.Int64(ordinal);
        }

        public override int GetInt32(int ordinal) => checked((int)GetInt64(ordinal));
        public override short GetInt16(int ordinal) => checked((short)GetInt64(ordinal));
        public override byte GetByte(int ordinal) => checked((byte)GetInt64(ordinal));
        public override bool GetBoolean(int ordinal) => GetInt64(ordinal) != 0;
        public override double GetDouble(int ordinal)
        {
            NotNull(ordinal);
            return _statement.Double(ordinal);
        }

        public override float GetFloat(int ordinal) => (float)GetDouble(ordinal);
        public override string GetString(int ordinal)
        {
            NotNull(ordinal);
            return _statement.Text(ordinal);
        }

        // The writer's statements read integers, texts and blobs (Dapper reads through GetValue); what Microsoft.Data.Sqlite
        // parses from text besides (dates, GUIDs, decimals) is not needed here and not guessed at.
        private static NotSupportedException NotRead(string what) =>
            new($"The SQLite writer's prepared statements do not read {what}; read the column as text or integer.");
        public override char GetChar(int ordinal) => throw NotRead("a char");
        public override DateTime GetDateTime(int ordinal) => throw NotRead("a DateTime");
        public override decimal GetDecimal(int ordinal) => throw NotRead("a decimal");
        public override Guid GetGuid(int ordinal) => throw NotRead("a Guid");
        public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) => throw NotRead("bytes in parts");
        public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) => throw NotRead("chars in parts");

        public override IEnumerator GetEnumerator() => new DbEnumerator(this, closeReader: false);
    }

    /// <summary>The values of one call, until they are bound (a collection of its own, not a whole command made to hold
    /// it).</summary>
    private sealed class Parameters : SqliteParameterCollection;

    private static readonly Parameters NoParameters = new();

    /// <summary>What Dapper fills in; the work happens on the kept statement.</summary>
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

        /// <summary>The kept statement to run this call on, or null: then <see cref="OnCommand"/>.</summary>
        private Statement? Direct(out Kept? kept, CommandBehavior behavior = CommandBehavior.Default)
        {
            if (CommandType != CommandType.Text) throw new NotSupportedException("SQLite runs text commands only");
            kept = connection.Borrow(CommandText);
            connection.Executed++;
            if (kept?.Statement is { } statement && !behavior.HasFlag(CommandBehavior.CloseConnection) && Statement.Binds(_parameters))
            {
                connection.CheckTransaction(DbTransaction);
                return statement;
            }
            return null;
        }

        /// <summary>A script's kept command, or a command of its own (the cache full, or a value bound by
        /// Microsoft.Data.Sqlite's rules only), with this call's values.</summary>
        private SqliteCommand OnCommand(Kept? kept, out bool own)
        {
            if (kept?.Command is null) connection.RunOnCommands++;
            // A script whose reader is still open keeps its command to itself (its later statements bind lazily).
            own = kept?.Command is null || kept.InUse;
            var command = own ? connection.NewCommand(CommandText) : kept!.Command!;
            command.Transaction = (DbTransaction as Transaction)?.Inner;
            command.CommandTimeout = CommandTimeout;
            command.Parameters.Clear();
            foreach (SqliteParameter parameter in _parameters)
            {
                // Dapper names a parameter without its prefix (Id for @Id). Microsoft.Data.Sqlite then looks the bare
                // name up in the statement, and after that every prefixed form (@, $, :) to rule out an ambiguous one:
                // four lookups, three of them building a string and converting it to UTF-8. Our SQL writes @Name.
                if (parameter.ParameterName is [not ('@' or '$' or ':'), ..] name) parameter.ParameterName = connection.Prefixed(name);
                command.Parameters.Add(parameter);
            }
            return command;
        }

        public override int ExecuteNonQuery()
        {
            if (Direct(out var kept) is { } statement)
            {
                using var reader = statement.Execute(connection.Inner.Handle!, _parameters, CommandTimeout);
                reader.Close();
                return reader.RecordsAffected;
            }
            var command = OnCommand(kept, out var own);
            try { return command.ExecuteNonQuery(); }
            finally { Done(command, own); }
        }

        public override object? ExecuteScalar()
        {
            if (Direct(out var kept) is { } statement)
            {
                using var reader = statement.Execute(connection.Inner.Handle!, _parameters, CommandTimeout);
                return reader.Read() ? reader.GetValue(0) : null;
            }
            var command = OnCommand(kept, out var own);
            try { return command.ExecuteScalar(); }
            finally { Done(command, own); }
        }

        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior)
        {
            if (Direct(out var kept, behavior) is { } statement) return statement.Execute(connection.Inner.Handle!, _parameters, CommandTimeout);
            // The reader holds the command until it is disposed (Dapper does before its call returns); a command of its
            // own is disposed with this one (Dapper disposes the command after the reader).
            var command = OnCommand(kept, out var own);
            if (own)
            {
                _own = command;
                return command.ExecuteReader(behavior);
            }
            SqliteDataReader reader;
            try { reader = command.ExecuteReader(behavior); }
            catch
            {
                command.Parameters.Clear();
                throw;
            }
            _read = kept;
            return kept!.Reader = reader;     // the script is not let go of while this is open
        }

        private SqliteCommand? _own;
        private Kept? _read;

        public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken) => Task.FromResult(ExecuteNonQuery());
        public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken) => Task.FromResult(ExecuteScalar());
        protected override Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken) =>
            Task.FromResult(ExecuteDbDataReader(behavior));

        private static void Done(SqliteCommand command, bool own)
        {
            if (own) command.Dispose();
            else command.Parameters.Clear();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                // The kept command lets go of this call's values (texts the purge may erase from the database), unless its
                // reader is still open (a command may be disposed before its reader): the next run clears them.
                if (_read is { InUse: false } kept) kept.Command!.Parameters.Clear();
                _read = null;
                _own?.Dispose();
                _own = null;
            }
            base.Dispose(disposing);
        }
    }
}
