using Npgsql;

namespace HotlineBot.Tests.Storage;

/// <summary>
/// A database of its own on the throwaway PostgreSQL that <c>./test.sh</c> starts (<c>HOTLINE_TEST_POSTGRES</c>, an
/// admin connection string). Without it the PostgreSQL half of a both-engine test is ignored — except under CI, where it
/// fails: CI must run both engines.
/// </summary>
public sealed class TestPostgres : IAsyncDisposable
{
    private readonly string _admin;

    private TestPostgres(string admin, string name)
    {
        _admin = admin;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true }.ToString();
    }

    public string Name { get; }
    public string ConnectionString { get; }

    public static async Task<TestPostgres> CreateAsync()
    {
        var admin = Environment.GetEnvironmentVariable("HOTLINE_TEST_POSTGRES");
        if (string.IsNullOrEmpty(admin))
        {
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))) Assert.Fail("HOTLINE_TEST_POSTGRES is not set: ./test.sh starts PostgreSQL");
            Assert.Ignore("PostgreSQL tests run through ./test.sh, which starts a throwaway server");
        }
        var name = "hotline_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await create.ExecuteNonQueryAsync();
        return new TestPostgres(admin!, name);
    }

    /// <summary>The settings that put a <see cref="HotlineHost"/> on this database.</summary>
    public Dictionary<string, string?> Settings => new() { ["Storage:Provider"] = "postgres", ["ConnectionStrings:Hotline"] = ConnectionString };

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
