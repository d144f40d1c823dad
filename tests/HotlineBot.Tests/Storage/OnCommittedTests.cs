using HotlineBot.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace HotlineBot.Tests.Storage;

/// <summary><see cref="Database.OnCommitted"/>: an action runs once its transaction's writes are committed, never for a
/// write that failed — also when SQLite commits it in one batch with writes that succeeded, or when a later transaction
/// commits on the same pooled connection.</summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed class OnCommittedTests(string engine)
{
    [Test]
    public async Task AnActionRuns_AfterItsWriteCommits_AndNeverForAFailedOne()
    {
        await using var postgres = engine == "postgres" ? await TestPostgres.CreateAsync() : null;
        var dir = Directory.CreateTempSubdirectory("hotline-oncommit-").FullName;
        Database database = postgres is null
            ? new SqliteDatabase($"Data Source={Path.Combine(dir, "t.db")}", dir)
            : new PostgresDatabase(postgres.ConnectionString);
        try
        {
            await new Migrator(database, TimeProvider.System, NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None);
            var ran = new System.Collections.Concurrent.ConcurrentQueue<string>();
            var committedWhenRun = false;

            var good = database.WriteAsync(async tx =>
            {
                await Dapper.SqlMapper.ExecuteAsync(tx.Connection!, "INSERT INTO audit_log (actor, action, created_at) VALUES ('t', 'good', 0)", transaction: tx);
                database.OnCommitted(tx, () =>
                {
                    ran.Enqueue("good");
                    committedWhenRun = true;
                });
                return 0;
            }, CancellationToken.None);
            var bad = database.WriteAsync<int>(async tx =>
            {
                await Dapper.SqlMapper.ExecuteAsync(tx.Connection!, "INSERT INTO audit_log (actor, action, created_at) VALUES ('t', 'bad', 0)", transaction: tx);
                database.OnCommitted(tx, () => ran.Enqueue("bad"));
                throw new InvalidOperationException("this write fails");
            }, CancellationToken.None);
            await good;
            Assert.That(async () => await bad, Throws.InvalidOperationException);

            Assert.That(ran, Is.EqualTo(new[] { "good" }));
            Assert.That(committedWhenRun, Is.True);
            // Later transactions commit, on the pooled connection the failed one used (Npgsql hands out the same
            // transaction object again): the failed write's action still never runs.
            for (var i = 0; i < 3; i++) await database.WriteAsync(_ => Task.FromResult(0), CancellationToken.None);
            Assert.That(ran, Is.EqualTo(new[] { "good" }), "not even after the next commits");
            await using var connection = await database.OpenAsync(CancellationToken.None);
            Assert.That(await Dapper.SqlMapper.QueryAsync<string>(connection, "SELECT action FROM audit_log"), Is.EqualTo(new[] { "good" }));
        }
        finally
        {
            if (database is IAsyncDisposable disposable) await disposable.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }
}
