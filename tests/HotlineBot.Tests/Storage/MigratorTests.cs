using Dapper;
using HotlineBot.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests.Storage;

public sealed class MigratorTests
{
    [Test]
    public async Task Migrate_AtStartUp_CreatesTheSchemaInWalMode()
    {
        using var host = new HotlineHost();
        using var client = host.CreateClient();
        await using var connection = new SqliteConnection($"Data Source={host.DatabasePath}");

        var tables = (await connection.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table'")).ToList();
        Assert.That(tables, Is.SupersetOf(new[] { "contacts", "conversations", "messages", "cases", "case_events", "schema_migrations" }));
        Assert.That(await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode"), Is.EqualTo("wal"));
        Assert.That(await connection.QueryAsync<string>("SELECT version FROM schema_migrations"), Is.EqualTo(Migrator.Scripts("sqlite").Select(s => s.Version)));
    }

    [Test]
    public async Task Migrate_Again_AppliesNothing()
    {
        using var host = new HotlineHost();
        using var client = host.CreateClient();

        var applied = await host.Services.GetRequiredService<Migrator>().MigrateAsync(CancellationToken.None);

        Assert.That(applied, Is.Empty);
    }

    [Test]
    public void Scripts_AreOrderedAndEmbedded() =>
        Assert.That(Migrator.Scripts("sqlite").Select(s => s.Version), Is.Ordered.And.Not.Empty);
}
