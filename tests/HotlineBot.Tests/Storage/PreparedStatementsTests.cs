using System.Data;
using System.Data.Common;
using Dapper;
using HotlineBot.Storage;
using Microsoft.Data.Sqlite;

namespace HotlineBot.Tests.Storage;

/// <summary>
/// The SQLite writer's statements run through SQLitePCLRaw directly, not through Microsoft.Data.Sqlite's commands. Each
/// test runs the same calls through Dapper on both — the writer's <see cref="PreparedStatements"/> and a plain
/// <see cref="SqliteConnection"/> on a copy of the same rows — and wants the same answer: values of every type Dapper
/// binds, texts SQLite and .NET encode differently, NULLs and their field types, counts of changed rows, errors.
/// </summary>
public sealed class PreparedStatementsTests
{
    private const string Schema = """
        CREATE TABLE v (id INTEGER PRIMARY KEY, i INTEGER, r REAL, t TEXT, b BLOB, n NUMERIC, x, u TEXT UNIQUE);
        INSERT INTO v (i, r, t, b, n, x, u) VALUES (1, 1.5, 'satu', x'0102', 10, 'x', 'a'), (NULL, NULL, NULL, NULL, NULL, NULL, NULL);
        """;

    private string _folder = "";
    private SqliteConnection _plain = null!;
    private PreparedStatements _writer = null!;

    [SetUp]
    public void SetUp()
    {
        _folder = Directory.CreateTempSubdirectory("prepared-").FullName;
        _plain = Open("plain.db");
        _writer = new PreparedStatements(Open("writer.db"));
        _plain.Execute(Schema);
        _writer.Inner.Execute(Schema);
    }

    [TearDown]
    public void TearDown()
    {
        _plain.Dispose();
        _writer.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private SqliteConnection Open(string file)
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(_folder, file)};Pooling=False");
        connection.Open();
        return connection;
    }

    /// <summary>The same work on both connections, each in a transaction of its own (the writer runs every statement in
    /// one), and both answers.</summary>
    private (T Plain, T Writer) Both<T>(Func<DbConnection, DbTransaction, T> work)
    {
        T On(DbConnection connection, DbTransaction tx)
        {
            var result = work(connection, tx);
            tx.Commit();
            return result;
        }
        return (On(_plain, _plain.BeginTransaction()), On(_writer, _writer.BeginImmediate()));
    }

    private static List<object?[]> Rows(DbConnection connection, DbTransaction tx, string sql, object? parameters = null)
    {
        using var reader = connection.ExecuteReader(sql, parameters, tx);
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount * 2];
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[2 * i] = reader.GetValue(i);
                row[2 * i + 1] = (reader.GetName(i), reader.GetFieldType(i), reader.GetDataTypeName(i));
            }
            rows.Add(row);
        }
        return rows;
    }

    private static readonly object?[] ValueList =
    [
        12L, -7, (short)3, (byte)200, (sbyte)-3, (ushort)65000, 4_000_000_000u, ulong.MaxValue, true, false, 2.25, 1.5f,
        "teks biasa", "", "Bu Sri 😷 sesak", "a\0b", "\ud83d lone surrogate", new string('x', 5000), new byte[] { 0, 1, 2 },
        Array.Empty<byte>(), null, DBNull.Value,
    ];

    // By index and type: a NUL or a lone surrogate in a test's name is not for the test logger.
    public static IEnumerable<TestCaseData> Values() =>
        ValueList.Select((value, i) => new TestCaseData(i).SetArgDisplayNames($"{i}: {value?.GetType().Name ?? "null"}"));

    [TestCaseSource(nameof(Values))]
    public void AValueOfEachType_IsStoredAndReadBack_AsMicrosoftDataSqliteDoes(int index)
    {
        var value = ValueList[index];
        var (plain, writer) = Both((c, tx) =>
        {
            var id = c.ExecuteScalar<long>("INSERT INTO v (x, t, i) VALUES (@Value, @Value, @Value) RETURNING id", new { Value = value }, tx);
            return (id, Rows(c, tx, "SELECT x, t, i, typeof(x) FROM v WHERE id = @id", new { id }));
        });

        Assert.That(writer.id, Is.EqualTo(plain.id));
        Assert.That(writer.Item2, Is.EqualTo(plain.Item2));
        Assert.That(_writer.RunOnCommands, Is.Zero, "ran on SQLite's statement directly");
    }

    [Test]
    public void NullsAndValues_ReadAsTheSameTypes_FromEachColumnsDeclaredType()
    {
        var (plain, writer) = Both((c, tx) => Rows(c, tx, "SELECT i, r, t, b, n, x, i + 1 AS computed, @p AS bound FROM v ORDER BY id", new { p = (string?)null }));

        Assert.That(writer, Is.EqualTo(plain));
        Assert.That(writer, Has.Count.EqualTo(2));
    }

    [Test]
    public void DappersTypedReads_GetTheSameObjects()
    {
        var (plain, writer) = Both((c, tx) => c.Query<Row>("SELECT id AS Id, i AS Number, r AS Real, t AS Text, b AS Blob, i AS Flag FROM v ORDER BY id", transaction: tx)
            .Select(r => (r.Id, r.Number, r.Real, r.Text, Blob: r.Blob is null ? null : Convert.ToHexString(r.Blob), r.Flag)).ToList());

        Assert.That(writer, Is.EqualTo(plain));
        Assert.That(writer[0], Is.EqualTo((1L, (int?)1, (double?)1.5, "satu", "0102", (bool?)true)));
        Assert.That(writer[1], Is.EqualTo((2L, (int?)null, (double?)null, (string?)null, (string?)null, (bool?)null)));
    }

    public sealed class Row
    {
        public long Id { get; set; }
        public int? Number { get; set; }
        public double? Real { get; set; }
        public string? Text { get; set; }
        public byte[]? Blob { get; set; }
        public bool? Flag { get; set; }
    }

    [Test]
    public void ChangedRows_AreCountedTheSame_ForAnUpdateAnInsertReturningAndASelect()
    {
        var (plain, writer) = Both((c, tx) => (
            c.Execute("UPDATE v SET t = 'dua' WHERE id <= @last", new { last = 2 }, tx),
            c.Execute("INSERT INTO v (t) VALUES ('tiga') RETURNING id", transaction: tx),
            c.Execute("UPDATE v SET t = 'none' WHERE id < 0", transaction: tx),
            c.Execute("SELECT count(*) FROM v", transaction: tx)));

        Assert.That(writer, Is.EqualTo(plain));
        Assert.That(writer, Is.EqualTo((2, 1, 0, -1)));
    }

    [Test]
    public void AChangeWithoutColumns_ReadAsAScalarOrARow_IsNullAndDefault_AsOnMicrosoftDataSqlite()
    {
        var (plain, writer) = Both((c, tx) => (
            c.ExecuteScalar<long?>("UPDATE v SET t = 'x' WHERE id = @id", new { id = 1 }, tx),
            c.QueryFirstOrDefault<long?>("UPDATE v SET t = 'y' WHERE id = @id", new { id = 1 }, tx),
            c.Query<long>("DELETE FROM v WHERE id = @id", new { id = 2 }, tx).Count(),
            c.QuerySingle<string>("SELECT t FROM v WHERE id = 1", transaction: tx)));

        Assert.That(writer, Is.EqualTo(plain));
        Assert.That(writer, Is.EqualTo(((long?)null, (long?)null, 0, "y")), "each change made, none read as a row");
    }

    [Test]
    public void AStatementPreparedAgainAfterASchemaChange_ReadsItsNewColumns()
    {
        var (plain, writer) = Both((c, tx) =>
        {
            var before = Rows(c, tx, "SELECT * FROM v WHERE id = 1");
            c.Execute("ALTER TABLE v ADD COLUMN z TEXT DEFAULT 'baru'", transaction: tx);
            return (before, after: Rows(c, tx, "SELECT * FROM v WHERE id = 1"));
        });

        Assert.That(writer, Is.EqualTo(plain));
        Assert.That(writer.after[0], Has.Length.EqualTo(writer.before[0].Length + 2), "one column more");
    }

    [Test]
    public void AfterSqliteRolledTheTransactionBackByItself_NoStatementRunsOutsideIt()
    {
        using var tx = _writer.BeginImmediate();
        _writer.Execute("UPDATE v SET t = 'x' WHERE id = 1", transaction: tx);
        // What SQLite does itself after a full disk or an I/O error: the transaction is gone, the connection in autocommit.
        Assert.That(SQLitePCL.raw.sqlite3_exec(_writer.Inner.Handle, "ROLLBACK"), Is.EqualTo(SQLitePCL.raw.SQLITE_OK));

        Assert.That(() => _writer.Execute("UPDATE v SET t = 'lost' WHERE id = 1", transaction: tx), Throws.InvalidOperationException);
        Assert.That(() => _writer.Run("SAVEPOINT w", tx), Throws.InvalidOperationException);
        Assert.That(_plain.QuerySingle<long>("SELECT 1"), Is.EqualTo(1));
        tx.Dispose();
        Assert.That(_writer.QuerySingle<string>("SELECT t FROM v WHERE id = 1"), Is.EqualTo("satu"), "nothing written outside the transaction");
    }

    [Test]
    public void AStatementThatFails_ThrowsTheSameSqliteError_AndRunsAgainAfterwards()
    {
        SqliteException? Fail(DbConnection c, DbTransaction tx)
        {
            try
            {
                c.Execute("INSERT INTO v (u) VALUES (@u)", new { u = "a" }, tx);
                return null;
            }
            catch (SqliteException e)
            {
                return e;
            }
        }
        var (plain, writer) = Both((c, tx) => (Fail(c, tx), c.Execute("INSERT INTO v (u) VALUES (@u)", new { u = "b" }, tx)));

        Assert.That(writer.Item1, Is.Not.Null);
        Assert.That((writer.Item1!.SqliteErrorCode, writer.Item1.SqliteExtendedErrorCode, writer.Item1.Message),
            Is.EqualTo((plain.Item1!.SqliteErrorCode, plain.Item1.SqliteExtendedErrorCode, plain.Item1.Message)));
        Assert.That(writer.Item2, Is.EqualTo(1), "the same statement, reset, runs again");
    }

    [Test]
    public void AMissingValue_IsRefused_AsMicrosoftDataSqliteRefusesIt()
    {
        using var tx = _writer.BeginImmediate();

        Assert.That(() => _writer.Execute("UPDATE v SET t = @t WHERE id = @id", new { t = "x" }, tx),
            Throws.InvalidOperationException.With.Message.Contains("@id"));
        Assert.That(_writer.Execute("UPDATE v SET t = @t WHERE id = @id", new { t = "x", id = 1 }, tx), Is.EqualTo(1), "and runs once it has them");
    }

    [Test]
    public void AValueOfATypeOnlyMicrosoftDataSqliteBinds_RunsOnItsCommand_WithTheSameResult()
    {
        var when = new DateTime(2026, 12, 7, 8, 30, 0, DateTimeKind.Utc);
        var (plain, writer) = Both((c, tx) => Rows(c, tx, "SELECT @when, @id, @amount, @kind", new { when, id = Guid.Empty, amount = 12.5m, kind = DayOfWeek.Monday }));

        Assert.That(writer, Is.EqualTo(plain));
        Assert.That(_writer.RunOnCommands, Is.EqualTo(1));
    }

    [Test]
    public void AScript_RunsEachStatementAfterTheOneBefore()
    {
        var (plain, writer) = Both((c, tx) =>
        {
            c.Execute("CREATE TABLE s (v INTEGER); INSERT INTO s (v) SELECT count(*) FROM v;", transaction: tx);
            return c.QuerySingle<long>("SELECT v FROM s", transaction: tx);
        });

        Assert.That(writer, Is.EqualTo(plain).And.EqualTo(2));
    }

    [Test]
    public void AStatementWhoseReaderIsStillOpen_IsNotRunAgainUnderIt()
    {
        using var tx = _writer.BeginImmediate();
        using var open = _writer.ExecuteReader("SELECT id FROM v ORDER BY id", transaction: tx);
        Assert.That(open.Read(), Is.True);

        Assert.That(() => _writer.Query<long>("SELECT id FROM v ORDER BY id", transaction: tx).ToList(), Throws.InvalidOperationException);
        Assert.That(open.GetInt64(0), Is.EqualTo(1), "the open reader still reads its own row");
        Assert.That(open.Read(), Is.True);
        open.Close();
        Assert.That(_writer.Query<long>("SELECT id FROM v ORDER BY id", transaction: tx), Is.EqualTo(new long[] { 1, 2 }));
    }

    [Test]
    public void AStatementWithAnOpenReader_IsNotLetGo_WhenNewerTextsFillTheCache()
    {
        using var tx = _writer.BeginImmediate();
        using var open = _writer.ExecuteReader("SELECT id FROM v ORDER BY id", transaction: tx);
        Assert.That(open.Read(), Is.True);

        for (var i = 0; i < PreparedStatements.Capacity; i++) _writer.QuerySingle<long>($"SELECT {i}", transaction: tx);

        Assert.That(_writer.Texts, Does.Contain("SELECT id FROM v ORDER BY id"), "kept while its reader is open");
        Assert.That(open.Read(), Is.True, "and the reader reads on");
        Assert.That(open.GetInt64(0), Is.EqualTo(2));
        open.Close();
        _writer.QuerySingle<long>("SELECT -1", transaction: tx);
        Assert.That(_writer.Texts, Does.Not.Contain("SELECT id FROM v ORDER BY id"), "the least recent, let go once free");
        Assert.That(_writer.Count, Is.EqualTo(PreparedStatements.Capacity));
    }

    [Test]
    public void AScriptWithAnOpenReader_IsNotLetGo_AndARunMeanwhileTakesACommandOfItsOwn()
    {
        const string Script = "SELECT id FROM v ORDER BY id; SELECT t FROM v ORDER BY id;";
        using var tx = _writer.BeginImmediate();
        using var open = _writer.ExecuteReader(Script, transaction: tx);
        Assert.That(open.Read(), Is.True);

        Assert.That(_writer.Query<long>(Script, transaction: tx), Is.EqualTo(new long[] { 1, 2 }), "the same script meanwhile");
        for (var i = 0; i < PreparedStatements.Capacity; i++) _writer.QuerySingle<long>($"SELECT {i}", transaction: tx);

        Assert.That(_writer.Texts, Does.Contain(Script), "kept while its reader is open");
        Assert.That(open.NextResult(), Is.True, "its second statement still runs");
        Assert.That(open.Read(), Is.True);
        Assert.That(open.GetString(0), Is.EqualTo("satu"));
        open.Close();
        _writer.QuerySingle<long>("SELECT -1", transaction: tx);
        Assert.That(_writer.Texts, Does.Not.Contain(Script), "the least recent, let go once free");
    }

    [Test]
    public void AStatementWithoutTheOpenTransaction_IsRefused()
    {
        using var tx = _writer.BeginImmediate();

        Assert.That(() => _writer.Execute("UPDATE v SET t = 'x'"), Throws.InvalidOperationException);
        tx.Rollback();
        Assert.That(_writer.Execute("UPDATE v SET t = 'x'"), Is.EqualTo(2), "none open, none needed");
    }

    [Test]
    public void ATypedReadOfANull_IsRefused_AndReadingPastTheRowsReturnsFalse()
    {
        using var tx = _writer.BeginImmediate();
        using var reader = (DbDataReader)_writer.ExecuteReader("SELECT i FROM v WHERE id = 2", transaction: tx);

        Assert.That(() => reader.GetInt64(0), Throws.InvalidOperationException, "before the first row");
        Assert.That(reader.Read(), Is.True);
        Assert.That(reader.IsDBNull(0), Is.True);
        Assert.That(() => reader.GetInt64(0), Throws.InvalidOperationException);
        Assert.That(reader.Read(), Is.False);
        Assert.That(reader.Read(), Is.False);
        Assert.That(reader.NextResult(), Is.False);
    }
}
