using Dapper;
using HotlineBot.Storage;
using Microsoft.Data.Sqlite;

namespace HotlineBot.Tests.Storage;

/// <summary>The SQLite writer loop: group commit, with each write atomic on its own.</summary>
public sealed class SqliteDatabaseTests
{
    private string _folder = "";
    private SqliteDatabase _database = null!;

    [SetUp]
    public async Task SetUp()
    {
        _folder = Directory.CreateTempSubdirectory("sqlite-db-").FullName;
        _database = new SqliteDatabase("Data Source=t.db", _folder);
        await _database.WriteAsync(tx => tx.Connection!.ExecuteAsync("CREATE TABLE t (v INTEGER NOT NULL UNIQUE)", transaction: tx), CancellationToken.None);
    }

    [TearDown]
    public async Task TearDown()
    {
        await _database.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<long[]> Values()
    {
        await using var connection = await _database.OpenAsync(CancellationToken.None);
        return (await connection.QueryAsync<long>("SELECT v FROM t ORDER BY v")).ToArray();
    }

    private Task<int> Insert(long v) =>
        _database.WriteAsync(tx => tx.Connection!.ExecuteAsync("INSERT INTO t (v) VALUES (@v)", new { v }, tx), CancellationToken.None);

    [Test]
    public async Task EveryConnection_KeepsItsSavepointJournalsInMemory_AndSyncsEveryCommit()
    {
        // A group commit's savepoint sub-journals in a temporary file cost a write call per page (tools/README.md).
        var writer = await _database.WriteAsync(async tx => (await tx.Connection!.QuerySingleAsync<long>("PRAGMA temp_store", transaction: tx),
            await tx.Connection!.QuerySingleAsync<long>("PRAGMA synchronous", transaction: tx)), CancellationToken.None);
        Assert.That(writer, Is.EqualTo((2L, 2L)), "temp_store MEMORY, synchronous FULL");
        await using var reader = await _database.OpenAsync(CancellationToken.None);
        Assert.That(await reader.QuerySingleAsync<long>("PRAGMA temp_store"), Is.EqualTo(2));
    }

    [Test]
    public async Task WriteAsync_ManyAtOnce_CommitsEveryOne()
    {
        await Task.WhenAll(Enumerable.Range(1, 500).Select(i => Insert(i)));

        Assert.That(await Values(), Has.Length.EqualTo(500));
    }

    [Test]
    public async Task WriteAsync_TheSameStatementsManyTimes_KeepsEachPrepared_AndBindsEachCallsOwnValues()
    {
        await Task.WhenAll(Enumerable.Range(1, 300).Select(i => Insert(i)));
        var read = await Task.WhenAll(Enumerable.Range(1, 300).Select(i => _database.WriteAsync(async tx =>
            (await tx.Connection!.QueryAsync<long?>("SELECT v FROM t WHERE v = @v OR v = @w ORDER BY v", new { v = i, w = (long?)null }, tx)).ToList(),
            CancellationToken.None)));

        Assert.That(read.Select(r => r.Single()), Is.EqualTo(Enumerable.Range(1, 300).Select(i => (long?)i)), "each call read with its own values");
        Assert.That(await Values(), Has.Length.EqualTo(300));
        // CREATE TABLE, the insert and the select: each text prepared once and kept, not 600 times.
        Assert.That(_database.PreparedCount, Is.EqualTo(3));
    }

    [Test]
    public async Task WriteAsync_MoreTextsThanTheCacheKeeps_TheOnesRunOnceGiveWay_AndAHotOneStaysPrepared()
    {
        // Texts run once (each list length Dapper expands, each day's purge, the migrations) used to fill the cache for
        // good, and a text first run after that was prepared anew on every run.
        const string Hot = "SELECT @v + 1000000";
        var texts = PreparedStatements.Capacity + 50;
        var read = await _database.WriteAsync(async tx =>
        {
            var sums = new List<long>();
            for (var i = 0; i < texts; i++)
            {
                sums.Add(await tx.Connection!.QuerySingleAsync<long>($"SELECT @v + {i}", new { v = 1000 }, tx));
                if (i % 10 == 0) await tx.Connection!.QuerySingleAsync<long>(Hot, new { v = i }, tx);
            }
            return sums;
        }, CancellationToken.None);

        Assert.That(read, Is.EqualTo(Enumerable.Range(0, texts).Select(i => 1000L + i)));
        Assert.That(_database.PreparedCount, Is.EqualTo(PreparedStatements.Capacity));
        var kept = await _database.PreparedTextsAsync();
        Assert.That(kept, Does.Contain(Hot), "the hot text was never let go");
        Assert.That(kept, Does.Contain($"SELECT @v + {texts - 1}").And.Not.Contain("SELECT @v + 0"), "the newest kept, the oldest gone");
        Assert.That(await _database.RunOnCommandsAsync(), Is.Zero, "every run on a kept statement");
    }

    [Test]
    public async Task WriteAsync_AScriptWhoseStatementsBuildOnEachOther_RunsTwice()
    {
        const string Script = "CREATE TABLE IF NOT EXISTS s (v INTEGER); INSERT INTO s (v) SELECT count(*) FROM s; INSERT INTO t (v) SELECT max(v) + 100 FROM s;";
        await _database.WriteAsync(tx => tx.Connection!.ExecuteAsync(Script, transaction: tx), CancellationToken.None);
        await _database.WriteAsync(tx => tx.Connection!.ExecuteAsync(Script, transaction: tx), CancellationToken.None);

        Assert.That(await Values(), Is.EqualTo(new long[] { 100, 101 }));
    }

    [Test]
    public async Task WriteAsync_AfterAStatementFailed_TheSameStatementRunsAgain()
    {
        await Insert(7);
        Assert.That(async () => await Insert(7), Throws.InstanceOf<SqliteException>(), "unique");
        await Insert(8);

        Assert.That(await Values(), Is.EqualTo(new long[] { 7, 8 }));
    }

    [Test]
    public async Task WriteAsync_ABatchWithoutAFailure_RunsNoSavepoint()
    {
        // A savepoint around every write made SQLite copy each page the write touched into the savepoint's journal (and
        // ran two statements more a write): without a failure the batch needs none (tools/README.md).
        var before = await _database.ExecutedAsync();
        await Task.WhenAll(Enumerable.Range(1, 200).Select(i => Insert(i)));
        var statements = await _database.ExecutedAsync() - before;

        Assert.That(statements, Is.EqualTo(200), "one INSERT a write, and nothing around it");
        Assert.That(_database.BatchesRunAgain, Is.Zero);
    }

    [Test]
    public async Task WriteAsync_OneFailsAmongMany_UndoesOnlyItsOwnWrites()
    {
        var committed = 0;
        Task<int> Counted(long v) => _database.WriteAsync(async tx =>
        {
            _database.OnCommitted(tx, () => Interlocked.Increment(ref committed));
            return await tx.Connection!.ExecuteAsync("INSERT INTO t (v) VALUES (@v)", new { v }, tx);
        }, CancellationToken.None);
        var writes = Enumerable.Range(1, 50).Select(i => Counted(i)).ToList();
        var failing = _database.WriteAsync<int>(async tx =>
        {
            _database.OnCommitted(tx, () => Interlocked.Increment(ref committed));
            await tx.Connection!.ExecuteAsync("INSERT INTO t (v) VALUES (1000)", transaction: tx);
            throw new InvalidOperationException("boom");
        }, CancellationToken.None);
        writes.AddRange(Enumerable.Range(51, 50).Select(i => Counted(i)));

        Assert.That(async () => await failing, Throws.InvalidOperationException.With.Message.EqualTo("boom"));
        await Task.WhenAll(writes);
        Assert.That(await Values(), Is.EqualTo(Enumerable.Range(1, 100).Select(i => (long)i)));
        Assert.That(committed, Is.EqualTo(100), "each committed write's action once; none of the failed one's, none of a rolled-back run's");
        Assert.That(_database.BatchesRunAgain, Is.EqualTo(1));
    }

    [Test]
    public async Task WriteAsync_AnotherWriteOfItsBatchFailed_RunsAgainFromTheStart_AndCommitsOnce()
    {
        var writer = await HeldWriter.HoldAsync(_database);     // what follows goes in one batch
        var runs = new int[21];
        Task<int> Write(int i) => _database.WriteAsync(async tx =>
        {
            Interlocked.Increment(ref runs[i]);
            if (i == 10) throw new InvalidOperationException("boom");
            return await tx.Connection!.ExecuteAsync("INSERT INTO t (v) VALUES (@v)", new { v = i }, tx);
        }, CancellationToken.None);
        var writes = Enumerable.Range(0, 21).Select(Write).ToList();
        await writer.ReleaseAsync();

        Assert.That(async () => await writes[10], Throws.InvalidOperationException.With.Message.EqualTo("boom"));
        await Task.WhenAll(writes.Where((_, i) => i != 10));
        Assert.That(await Values(), Is.EqualTo(Enumerable.Range(0, 21).Where(i => i != 10).Select(i => (long)i)), "each once");
        Assert.That(runs.Take(11), Is.All.EqualTo(2), "the writes up to the failing one ran again, each in its savepoint");
        Assert.That(runs.Skip(11), Is.All.EqualTo(1), "the rest ran once, in the second run");
        Assert.That(_database.BatchesRunAgain, Is.EqualTo(1));
    }

    [Test]
    public async Task WriteAsync_AFailureThatDoesNotHappenAgain_WhenItsBatchRunsAgain_IsNotTheAnswer()
    {
        var runs = 0;
        var answer = await _database.WriteAsync(async tx =>
        {
            if (Interlocked.Increment(ref runs) == 1) throw new InvalidOperationException("only the first time");
            await tx.Connection!.ExecuteAsync("INSERT INTO t (v) VALUES (5)", transaction: tx);
            return runs;
        }, CancellationToken.None);

        Assert.That(answer, Is.EqualTo(2), "the run that counts is the one with a savepoint");
        Assert.That(await Values(), Is.EqualTo(new long[] { 5 }));
    }

    [Test]
    public async Task WriteAsync_AfterAFailure_BatchesKeepSavepointsForAWhile_AndEachFailureStartsTheWhileAgain()
    {
        Task<int> Failing() => _database.WriteAsync<int>(_ => throw new InvalidOperationException("boom"), CancellationToken.None);

        Assert.That(async () => await Failing(), Throws.InvalidOperationException);
        Assert.That(_database.BatchesRunAgain, Is.EqualTo(1));
        Assert.That(async () => await Failing(), Throws.InvalidOperationException);
        Assert.That(_database.BatchesRunAgain, Is.EqualTo(1), "the next batch had its savepoints from the start");
        for (var i = 1; i <= 16; i++) await Insert(i);      // the sixteen batches after the last failure
        Assert.That(async () => await Failing(), Throws.InvalidOperationException);
        Assert.That(_database.BatchesRunAgain, Is.EqualTo(2), "then batches go without savepoints again");
        Assert.That(await Values(), Has.Length.EqualTo(16));
    }

    [Test]
    public async Task WriteAsync_ConstraintViolation_ReachesItsCallerOnly()
    {
        await Insert(7);

        Assert.That(async () => await Insert(7), Throws.InstanceOf<SqliteException>());
        Assert.That(await Insert(8), Is.EqualTo(1));
        Assert.That(await Values(), Is.EqualTo(new long[] { 7, 8 }));
    }

    [Test]
    public async Task WriteAsync_CancelledBeforeItRuns_WritesNothing()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var write = _database.WriteAsync(tx => tx.Connection!.ExecuteAsync("INSERT INTO t (v) VALUES (5)", transaction: tx), cancelled.Token);

        Assert.That(async () => await write, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(await Values(), Is.Empty);
    }

    [Test]
    public async Task WriteAsync_WritesOfOneCaller_ApplyInOrder()
    {
        var order = new List<int>();
        var writes = Enumerable.Range(1, 200).Select(i => _database.WriteAsync(tx =>
        {
            order.Add(i);
            return Task.FromResult(i);
        }, CancellationToken.None)).ToList();

        await Task.WhenAll(writes);

        Assert.That(order, Is.Ordered);
    }
}
