using Dapper;
using HotlineBot.Storage;
using Microsoft.Data.Sqlite;

namespace HotlineBot.Tests.Storage;

/// <summary>Migration 0015 gives messages written before it their case, so older cases keep their partner panel.</summary>
public sealed class MessageCaseMigrationTests
{
    [Test]
    public async Task Migration0015_LinksEarlierNotificationsToTheirCase()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("migration-").FullName, "old.db");
        await using var db = new SqliteConnection($"Data Source={path}");
        var scripts = Migrator.Scripts("sqlite").ToList();
        foreach (var (version, sql) in scripts.Where(s => string.CompareOrdinal(s.Version, "0015") < 0)) await db.ExecuteAsync(sql);
        await db.ExecuteAsync("""
            INSERT INTO contacts (id, address, channel, created_at, updated_at) VALUES (1, 'tel:+6281100000102', 'sms', 0, 0), (2, 'tel:+62812', 'sms', 0, 0);
            INSERT INTO cases (id, code, status, reporter_contact_id, patient_name, address, needs, flags, created_at, updated_at)
            VALUES (10, '4821', 'routed', 2, 'Siti', 'x', 'food', '', 0, 0), (11, '7858', 'routed', 2, 'Budi', 'y', 'food', '', 0, 0);
            INSERT INTO messages (id, contact_id, direction, provider, body, status, created_at, kind) VALUES
              (100, 1, 'out', 'twilio', 'KASUS 4821: Siti, x. Butuh: makanan. Balas TERIMA 4821 atau TOLAK 4821', 'sent', 0, 'partner_notification'),
              (101, 1, 'out', 'twilio', 'Kasus 7858 sudah diterima mitra lain. Terima kasih, tidak perlu ditindaklanjuti.', 'sent', 0, 'partner_notification'),
              (102, 2, 'out', 'twilio', 'Laporan 4821: sudah diterima.', 'sent', 0, 'reporter_update');
            """);

        await db.ExecuteAsync(scripts.Single(s => s.Version.StartsWith("0015", StringComparison.Ordinal)).Sql);

        var linked = (await db.QueryAsync<(long Id, long? CaseId)>("SELECT id, case_id FROM messages ORDER BY id")).ToList();
        Assert.That(linked, Is.EqualTo(new (long, long?)[] { (100, 10), (101, 11), (102, null) }));
    }
}
