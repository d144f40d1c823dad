using System.Data.Common;
using Dapper;
using HotlineBot.Core.Dialogs;
using HotlineBot.Core.Routing;

namespace HotlineBot.Storage;

/// <summary>The partner network, as last imported from the partners file.</summary>
public sealed class PartnerStore(Database database)
{
    private const string SqlUpsert = """
        INSERT INTO partners (id, name, kind, contact, serves, areas, latitude, longitude, radius_km, active, updated_at)
        VALUES (@Id, @Name, @Kind, @Contact, @Serves, @Areas, @Latitude, @Longitude, @RadiusKm, @Active, @Now)
        ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, contact = excluded.contact,
            serves = excluded.serves, areas = excluded.areas, latitude = excluded.latitude, longitude = excluded.longitude,
            radius_km = excluded.radius_km, active = excluded.active, updated_at = excluded.updated_at
        """;
    private const string SqlDeactivateOthers = "UPDATE partners SET active = 0, updated_at = @Now WHERE active = 1 AND id NOT IN @Ids";

    /// <summary>Makes the table say what the file says, in the caller's transaction: all of it or none.</summary>
    public async Task ReplaceAllAsync(DbTransaction tx, IReadOnlyList<Partner> partners, long now)
    {
        ArgumentNullException.ThrowIfNull(partners);
        foreach (var p in partners) await UpsertAsync(tx, p, now);
        await tx.Connection!.ExecuteAsync(ListParameters.For(tx.Connection!, SqlDeactivateOthers), new { Ids = partners.Select(p => p.Id).ToArray(), Now = now }, tx);
    }

    /// <summary>Adds or changes one partner (the dashboard's form; the file's rules were checked by the caller).</summary>
    public Task UpsertAsync(DbTransaction tx, Partner p, long now)
    {
        ArgumentNullException.ThrowIfNull(p);
        return tx.Connection!.ExecuteAsync(SqlUpsert, new
        {
            p.Id, p.Name, p.Kind, p.Contact, Serves = string.Join(',', p.Serves), Areas = string.Join(',', p.Areas),
            Latitude = p.Location?.Latitude, Longitude = p.Location?.Longitude, p.RadiusKm, Active = p.Active ? 1 : 0, Now = now,
        }, tx);
    }

    private const string SqlSetActive = "UPDATE partners SET active = @Active, updated_at = @Now WHERE id = @Id";

    public async Task<bool> SetActiveAsync(DbTransaction tx, string id, bool active, long now) =>
        await tx.Connection!.ExecuteAsync(SqlSetActive, new { Id = id, Active = active ? 1 : 0, Now = now }, tx) == 1;

    private const string SqlAll = """
        SELECT id AS Id, name AS Name, kind AS Kind, contact AS Contact, serves AS Serves, areas AS Areas,
               latitude AS Latitude, longitude AS Longitude, radius_km AS RadiusKm, active AS Active
        FROM partners ORDER BY id
        """;

    /// <summary>Every partner, active or not (the partners file export).</summary>
    public static async Task<IReadOnlyList<Partner>> ListAllAsync(DbConnection connection) =>
        (await connection.QueryAsync<PartnerRow>(SqlAll)).Select(r => r.ToPartner()).ToList();

    private const string SqlActive = """
        SELECT id AS Id, name AS Name, kind AS Kind, contact AS Contact, serves AS Serves, areas AS Areas,
               latitude AS Latitude, longitude AS Longitude, radius_km AS RadiusKm
        FROM partners WHERE active = 1 ORDER BY id
        """;

    private const string SqlVersion = "SELECT version FROM partners_version WHERE id = 1";

    /// <summary>The active partners as of <see cref="Version"/>, kept once a transaction that read them committed.</summary>
    private sealed record Active(long Version, IReadOnlyList<Partner> Partners);
    private volatile Active? _active;
    private int _reads;

    /// <summary>How many times the partners table was read for routing (for tests).</summary>
    internal int Reads => Volatile.Read(ref _reads);

    /// <summary>The active partners, for routing a case. Read from memory while the table's version (moved by a
    /// trigger on every change, by anyone: 0022_partners_version) is the one they were read at; else read, and kept
    /// once this transaction commits, so what a rolled-back write saw is never kept. The version is read before the
    /// rows: a change between the two makes the next call read again, never keeps old rows under a new version. A
    /// migration that rebuilds the partners table must create its triggers again (PartnerStoreTests fails without them).</summary>
    public async Task<IReadOnlyList<Partner>> ListActiveAsync(DbTransaction tx)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var version = await tx.Connection!.ExecuteScalarAsync<long>(SqlVersion, transaction: tx);
        if (_active is { } kept && kept.Version == version) return kept.Partners;
        Interlocked.Increment(ref _reads);
        var partners = (await tx.Connection!.QueryAsync<PartnerRow>(SqlActive, transaction: tx)).Select(r => r.ToPartner()).ToArray();
        database.OnCommitted(tx, () => _active = new Active(version, partners));
        return partners;
    }

    private const string SqlByContact = """
        SELECT id AS Id, name AS Name, kind AS Kind, contact AS Contact, serves AS Serves, areas AS Areas,
               latitude AS Latitude, longitude AS Longitude, radius_km AS RadiusKm
        FROM partners WHERE active = 1 AND contact IN (@Sms, @WhatsApp) ORDER BY contact = @Exact DESC, id LIMIT 1
        """;

    /// <summary>The active partner with this phone number, on whichever channel they wrote from (a partner listed
    /// on WhatsApp who sends an SMS is still that partner): their status codes act on cases.</summary>
    public async Task<Partner?> FindByContactAsync(DbTransaction tx, string contact)
    {
        ArgumentNullException.ThrowIfNull(contact);
        var number = contact[(contact.IndexOf(':', StringComparison.Ordinal) + 1)..];
        return (await tx.Connection!.QueryFirstOrDefaultAsync<PartnerRow>(SqlByContact,
            new { Sms = "tel:" + number, WhatsApp = "whatsapp:" + number, Exact = contact }, tx))?.ToPartner();
    }

    private sealed class PartnerRow
    {
        public string Id { get; init; } = "";
        public string Name { get; init; } = "";
        public string Kind { get; init; } = "";
        public string Contact { get; init; } = "";
        public string Serves { get; init; } = "";
        public string Areas { get; init; } = "";
        public double? Latitude { get; init; }
        public double? Longitude { get; init; }
        public double? RadiusKm { get; init; }
        public bool Active { get; init; } = true;

        public Partner ToPartner() => new(Id, Name, Kind, Contact, Split(Serves), Split(Areas),
            Latitude is { } lat && Longitude is { } lon ? new GeoPoint(lat, lon) : null, RadiusKm, Active);

        private static string[] Split(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries);
    }
}
