using Dapper;
using HotlineBot.Commands;
using HotlineBot.Dashboard;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace HotlineBot.Tests.Storage;

/// <summary>Moving an office from SQLite to PostgreSQL: every table, every row, ids kept, and the service carries on there.</summary>
public sealed class StorageCopyTests
{
    [Test]
    public async Task Copy_ADatabaseWithCasesMessagesUsersAndAudit_ToPostgres_KeepsEveryRow_AndTheServiceGoesOn()
    {
        await using var postgres = await TestPostgres.CreateAsync();
        string sqlitePath;
        var (twilio, host) = await HotlineHost.WithFakeTwilioAsync(new() { ["Routing:OfficerContacts:0"] = "+6281100000999" });
        await using (twilio)
        using (host)
        {
            foreach (var text in new[] { "halo", "Siti Aminah", "3273056010900009", "ds karangrau rt2/3 kec sokaraja", "1", "tidak", "ya" })
                await host.SmsAsync("+6281299990021", text);
            await host.RunTimersAsync();
            await host.SmsAsync("+6281100000102", "TERIMA");
            await host.Services.GetRequiredService<Officers>().AddAsync("rina", "Rina", Roles.Officer, "kata-sandi-panjang-1", "test", CancellationToken.None);
            await host.Services.GetRequiredService<Officers>().SignInAsync("rina", "kata-sandi-panjang-1", CancellationToken.None);
            host.Services.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>().CreateProtector("test").Protect([1, 2, 3]);
            sqlitePath = Path.Combine(Directory.CreateTempSubdirectory("hotline-copy-").FullName, "hotline.db");
            await using var source = new SqliteConnection($"Data Source={host.DatabasePath}");
            await source.OpenAsync();
            await using var backup = new SqliteConnection($"Data Source={sqlitePath}");
            source.BackupDatabase(backup);
        }

        var copied = await StorageCopy.CopyAsync(sqlitePath, postgres.ConnectionString, NullLoggerFactory.Instance, CancellationToken.None);

        await using (var sqlite = new SqliteConnection($"Data Source={sqlitePath}"))
        await using (var pg = new NpgsqlConnection(postgres.ConnectionString))
        {
            foreach (var table in StorageCopy.Tables)
            {
                var expected = await sqlite.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table}");
                Assert.That(await pg.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table}"), Is.EqualTo(expected), table);
                Assert.That(copied.Single(c => c.Table == table).Rows, Is.EqualTo(expected), table);
            }
            foreach (var table in new[] { "cases", "messages", "users", "audit_log", "case_assignments", "data_protection_keys" })
                Assert.That(await pg.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table}"), Is.GreaterThan(0), $"the test's database had {table}");
            const string Case = "SELECT code || '|' || status || '|' || patient_name || '|' || coalesce(nik_masked, '') || '|' || id FROM cases ORDER BY id";
            Assert.That(await pg.QueryAsync<string>(Case), Is.EqualTo(await sqlite.QueryAsync<string>(Case)));
            const string Messages = "SELECT id || '|' || direction || '|' || status || '|' || body FROM messages ORDER BY id";
            Assert.That(await pg.QueryAsync<string>(Messages), Is.EqualTo(await sqlite.QueryAsync<string>(Messages)));
        }

        // The service on the copy: the same case, the same users, and new rows after the copied ids.
        var (twilio2, moved) = await HotlineHost.WithFakeTwilioAsync(postgres.Settings);
        await using (twilio2)
        using (moved)
        {
            for (var i = 0; i < 100; i++) moved.NextSid();      // the copied messages hold the first host's MessageSids
            var code = await moved.OpenAsync().ContinueWith(async t => { await using var c = await t; return await c.ExecuteScalarAsync<string>("SELECT code FROM cases"); }).Unwrap();
            Assert.That(await moved.SmsAsync("+6281299990021", $"STATUS {code}"), Does.StartWith($"Laporan {code}:"));
            var (result, _) = await moved.Services.GetRequiredService<Officers>().SignInAsync("rina", "kata-sandi-panjang-1", CancellationToken.None);
            Assert.That(result, Is.EqualTo(SignInResult.Succeeded), "users and their password hashes moved");
            foreach (var text in new[] { "halo", "Budi Santoso", "tidak tahu", "ds karangrau kec sokaraja", "1", "tidak", "ya" })
                await moved.SmsAsync("+6281299990022", text);
            await using var db = await moved.OpenAsync();
            Assert.That(await db.ExecuteScalarAsync<long>("SELECT count(*) FROM cases"), Is.EqualTo(2), "ids go on after the copied ones");
        }
        File.Delete(sqlitePath);
    }

    [Test]
    public async Task Copy_ToAServerThatIsNotThere_SaysSoInOneLine()
    {
        var dir = Directory.CreateTempSubdirectory("hotline-copy-").FullName;
        var sqlite = Path.Combine(dir, "hotline.db");
        await File.WriteAllBytesAsync(sqlite, []);

        var (code, _, errors) = await HotlineProcess.RunAsync(dir, new Dictionary<string, string?>(),
            "storage", "copy", "--from", sqlite, "--to", "Host=127.0.0.1;Port=9;Username=x;Database=x;Timeout=2");

        Assert.That(code, Is.EqualTo(1));
        Assert.That(errors, Does.StartWith("storage copy: PostgreSQL refused or could not be reached").And.Not.Contain("   at "));
        Directory.Delete(dir, recursive: true);
    }
}
