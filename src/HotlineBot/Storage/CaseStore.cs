using System.Data.Common;
using System.Text.Json;
using Dapper;
using HotlineBot.Core.Cases;
using HotlineBot.Core.Dialogs;
using HotlineBot.Core.Indonesia;

namespace HotlineBot.Storage;

public sealed class CaseRow
{
    public long Id { get; init; }
    public string Code { get; init; } = "";
    public string Status { get; init; } = "";
    public string PatientName { get; init; } = "";
    public string? NikCiphertext { get; init; }
    public string? NikIndex { get; init; }
    public string? NikMasked { get; init; }
    public string Address { get; init; } = "";
    public string Needs { get; init; } = "";
    public string Flags { get; init; } = "";
}

/// <summary>Cases and their event history. The NIK is only ever written as ciphertext, blind index and mask.</summary>
public sealed class CaseStore
{
    private const string SqlInsert = """
        INSERT INTO cases (code, status, reporter_contact_id, conversation_id, patient_name, nik_ciphertext, nik_index,
                           nik_masked, address, latitude, longitude, district_code, village_code, needs, flags, details,
                           media, created_at, updated_at)
        VALUES (@Code, @Status, @ReporterContactId, @ConversationId, @PatientName, @NikCiphertext, @NikIndex,
                @NikMasked, @Address, @Latitude, @Longitude, @DistrictCode, @VillageCode, @Needs, @Flags, @Details,
                @Media, @Now, @Now)
        ON CONFLICT (code) DO NOTHING
        RETURNING id
        """;

    /// <summary>Inserts the case under the first free code candidate; returns its id and code.</summary>
    public async Task<(long Id, string Code)> InsertAsync(DbTransaction tx, CaseDraft draft, long reporterContactId,
        long conversationId, Func<int, string> codeCandidate, long now, string status = CaseStatus.New)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(codeCandidate);
        for (var attempt = 0; attempt < 30; attempt++)
        {
            var code = codeCandidate(attempt);
            var id = await tx.Connection!.ExecuteScalarAsync<long?>(SqlInsert, new
            {
                Code = code, Status = status, ReporterContactId = reporterContactId, ConversationId = conversationId,
                PatientName = NikRedactor.Redact(draft.PatientName), NikCiphertext = draft.Nik?.Ciphertext, NikIndex = draft.Nik?.BlindIndex,
                NikMasked = draft.Nik?.Masked, Address = NikRedactor.Redact(draft.Address), Latitude = draft.Position?.Latitude, Longitude = draft.Position?.Longitude,
                draft.DistrictCode, draft.VillageCode,
                Needs = string.Join(',', draft.Needs), Flags = string.Join(',', draft.Flags),
                Details = JsonSerializer.Serialize(draft.Details.ToDictionary(d => d.Key, d => NikRedactor.Redact(d.Value)) as IReadOnlyDictionary<string, string>, DialogJson.Readable.IReadOnlyDictionaryStringString),
                Media = JsonSerializer.Serialize(draft.Media, DialogJson.Readable.IReadOnlyListString), Now = now,
            }, tx);
            if (id is { } caseId) return (caseId, code);
        }
        throw new InvalidOperationException("No free case code after 30 attempts.");
    }

    private const string SqlInsertEvent = """
        INSERT INTO case_events (case_id, kind, actor, detail, created_at) VALUES (@CaseId, @Kind, @Actor, @Detail, @Now)
        """;

    /// <summary>Adds an event; its detail passes the NIK redaction, whatever the caller put in it.</summary>
    public Task AddEventAsync(DbTransaction tx, long caseId, string kind, string actor, string detail, long now) =>
        tx.Connection!.ExecuteAsync(SqlInsertEvent, new { CaseId = caseId, Kind = kind, Actor = actor, Detail = NikRedactor.Redact(detail), Now = now }, tx);

    private const string SqlOpenHandoff = """
        SELECT id AS Id, code AS Code FROM cases
        WHERE reporter_contact_id = @ContactId AND status = 'handoff' ORDER BY id DESC LIMIT 1
        """;

    /// <summary>The contact's handoff still waiting for an officer, if any (at most one: a unique index): a citizen
    /// stuck twice is one item, not two.</summary>
    public Task<WaitingHandoff?> FindOpenHandoffAsync(DbTransaction tx, long contactId) =>
        tx.Connection!.QuerySingleOrDefaultAsync<WaitingHandoff?>(SqlOpenHandoff, new { ContactId = contactId }, tx);

    private const string SqlByCode = """
        SELECT id AS Id, code AS Code, status AS Status, patient_name AS PatientName, nik_ciphertext AS NikCiphertext,
               nik_index AS NikIndex, nik_masked AS NikMasked, address AS Address, needs AS Needs, flags AS Flags
        FROM cases WHERE code = @Code
        """;

    private const string SqlStatusByCode = """
        SELECT c.status FROM cases c JOIN contacts k ON k.id = c.reporter_contact_id WHERE c.code = @Code
          AND (c.reporter_contact_id = @ContactId OR k.address IN (@Sms, @WhatsApp)
               OR EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.kind = 'duplicate_report' AND e.actor IN (@Address, @Sms, @WhatsApp)))
        """;

    /// <summary>The case's status, for the person who reported it (or reported it again), by SMS or WhatsApp from the
    /// same number: to anyone else a 4-digit code is not found, so nobody can learn which cases exist by trying codes.
    /// A simulated phone is only ever itself.</summary>
    public Task<string?> FindStatusAsync(DbTransaction tx, string code, long contactId, string contactAddress)
    {
        ArgumentNullException.ThrowIfNull(contactAddress);
        var number = contactAddress[(contactAddress.IndexOf(':', StringComparison.Ordinal) + 1)..];
        var real = !contactAddress.StartsWith("sim:", StringComparison.Ordinal);
        return tx.Connection!.QuerySingleOrDefaultAsync<string?>(SqlStatusByCode, new
        {
            Code = code, ContactId = contactId, Address = contactAddress,
            Sms = real ? "tel:" + number : contactAddress, WhatsApp = real ? "whatsapp:" + number : contactAddress,
        }, tx);
    }

    public static async Task<CaseRow?> FindByCodeAsync(DbConnection connection, string code) =>
        await connection.QuerySingleOrDefaultAsync<CaseRow>(SqlByCode, new { Code = code });

    private const string SqlSetState = """
        UPDATE cases SET status = @Status, updated_at = @Now, accept_due_at = @AcceptDueAt, arrive_due_at = @ArriveDueAt, resolve_due_at = @ResolveDueAt
        WHERE id = @Id
        """;

    /// <summary>Writes the status and deadlines the case engine decided (<see cref="StatusChanged"/>), exactly.</summary>
    public Task SetStatusAsync(DbTransaction tx, long id, StatusChanged change, long now)
    {
        ArgumentNullException.ThrowIfNull(change);
        return tx.Connection!.ExecuteAsync(SqlSetState, new
        {
            Id = id, change.Status, Now = now, change.Deadlines.AcceptDueAt, change.Deadlines.ArriveDueAt, change.Deadlines.ResolveDueAt,
        }, tx);
    }

    private const string SqlStateColumns = """
        SELECT c.id AS Id, c.code AS Code, c.status AS Status, c.patient_name AS PatientName, c.nik_masked AS NikMasked,
               c.nik_index AS NikIndex, c.address AS Address, c.district_code AS DistrictCode, c.latitude AS Latitude,
               c.longitude AS Longitude, c.needs AS Needs, c.flags AS Flags, k.address AS ReporterAddress,
               k.language AS ReporterLanguage, c.accept_due_at AS AcceptDueAt, c.arrive_due_at AS ArriveDueAt,
               c.resolve_due_at AS ResolveDueAt
        FROM cases c JOIN contacts k ON k.id = c.reporter_contact_id
        """;
    private const string SqlStateByCode = SqlStateColumns + " WHERE c.code = @Code";
    private const string SqlStateById = SqlStateColumns + " WHERE c.id = @Id";

    /// <summary>The case as the case engine decides on it, with its assignments and reporter; null when there is no
    /// such code. Take the case's lock (<see cref="LockAsync"/>) first when deciding on it.</summary>
    public async Task<CaseState?> FindStateAsync(DbTransaction tx, string code) =>
        await tx.Connection!.QuerySingleOrDefaultAsync<StateRow>(SqlStateByCode, new { Code = code }, tx) is { } row ? await StateAsync(tx, row) : null;

    public async Task<CaseState> GetStateAsync(DbTransaction tx, long id) =>
        await StateAsync(tx, await tx.Connection!.QuerySingleAsync<StateRow>(SqlStateById, new { Id = id }, tx));

    private async Task<CaseState> StateAsync(DbTransaction tx, StateRow row)
    {
        var assignments = (await AssignmentsAsync(tx, row.Id)).Select(a => new CaseAssignment(a.PartnerId, a.Need, a.Status, a.Contact, a.PartnerName)).ToList();
        return new CaseState(row.Id, row.Code, row.Status, row.PatientName, row.NikMasked, row.NikIndex, row.Address, row.DistrictCode,
            row.Latitude is { } lat && row.Longitude is { } lon ? new GeoPoint(lat, lon) : null,
            row.Needs.Split(',', StringSplitOptions.RemoveEmptyEntries), row.Flags.Split(',', StringSplitOptions.RemoveEmptyEntries),
            row.ReporterAddress, row.ReporterLanguage, assignments, new CaseDeadlines(row.AcceptDueAt, row.ArriveDueAt, row.ResolveDueAt));
    }

    private sealed class StateRow
    {
        public long Id { get; init; }
        public string Code { get; init; } = "";
        public string Status { get; init; } = "";
        public string PatientName { get; init; } = "";
        public string? NikMasked { get; init; }
        public string? NikIndex { get; init; }
        public string Address { get; init; } = "";
        public string? DistrictCode { get; init; }
        public double? Latitude { get; init; }
        public double? Longitude { get; init; }
        public string Needs { get; init; } = "";
        public string Flags { get; init; } = "";
        public string ReporterAddress { get; init; } = "";
        public string ReporterLanguage { get; init; } = "id";
        public long? AcceptDueAt { get; init; }
        public long? ArriveDueAt { get; init; }
        public long? ResolveDueAt { get; init; }
    }

    private const string SqlMedia = "SELECT media FROM cases WHERE id = @Id";
    private const string SqlMediaByCode = "SELECT media FROM cases WHERE code = @Code";

    /// <summary>The references of the case's photos and documents; empty when there is no such case.</summary>
    public async Task<IReadOnlyList<string>> MediaAsync(DbTransaction tx, string code)
    {
        var json = await tx.Connection!.QuerySingleOrDefaultAsync<string?>(SqlMediaByCode, new { Code = code }, tx);
        return json is null ? [] : JsonSerializer.Deserialize(json, DialogJson.Readable.IReadOnlyListString) ?? [];
    }

    private const string SqlNikCiphertext = "SELECT id AS Id, nik_ciphertext AS Ciphertext FROM cases WHERE code = @Code";

    /// <summary>The case's id and NIK ciphertext (null when no NIK was given), for an audited reveal.</summary>
    public Task<(long Id, string? Ciphertext)?> FindNikCiphertextAsync(DbTransaction tx, string code) =>
        tx.Connection!.QuerySingleOrDefaultAsync<(long Id, string? Ciphertext)?>(SqlNikCiphertext, new { Code = code }, tx);

    private const string SqlSetDuplicateOf = "UPDATE cases SET duplicate_of = @Original WHERE id = @Id";

    public Task SetDuplicateOfAsync(DbTransaction tx, long id, string originalCode) =>
        tx.Connection!.ExecuteAsync(SqlSetDuplicateOf, new { Id = id, Original = originalCode }, tx);

    private const string SqlAny = "SELECT EXISTS (SELECT 1 FROM cases)";

    public static async Task<bool> AnyAsync(DbConnection connection) => await connection.ExecuteScalarAsync<bool>(SqlAny);

    // Retention (DESIGN.md §6). Event kinds whose detail is only partner ids, case codes or system reasons keep it;
    // every other detail may carry a name, an address or an officer's note about the patient.
    private const string SqlPurgeClosed = """
        UPDATE cases SET patient_name = '', nik_ciphertext = NULL, nik_index = NULL, nik_masked = NULL, address = '',
                         latitude = NULL, longitude = NULL, village_code = NULL, details = '{}', media = '[]', purged_at = @Now
        WHERE id IN (SELECT id FROM cases WHERE purged_at IS NULL AND status IN ('resolved', 'cancelled') AND updated_at < @Cutoff
                     ORDER BY id LIMIT @Batch)
          -- Again on the row itself: a case reopened while the batch was chosen (another writer) is not purged.
          AND purged_at IS NULL AND status IN ('resolved', 'cancelled') AND updated_at < @Cutoff
        RETURNING id
        """;
    private const string SqlPurgeEvents = """
        UPDATE case_events SET detail = '' WHERE case_id IN @Ids AND detail <> ''
          AND kind NOT IN ('notified', 'assigned', 'reassigned', 'unrouted', 'duplicate_of', 'duplicate_linked');
        UPDATE case_events SET actor = 'reporter'
        WHERE case_id IN @Ids AND (actor LIKE 'tel:%' OR actor LIKE 'whatsapp:%' OR actor LIKE 'sim:%')
        """;

    /// <summary>Erases the personal data of up to <paramref name="batch"/> cases closed before <paramref name="cutoff"/>:
    /// what the reports count (code, dates, status, needs, kecamatan) stays. Returns how many.</summary>
    public async Task<int> PurgeClosedAsync(DbTransaction tx, long cutoff, long now, int batch)
    {
        var ids = (await tx.Connection!.QueryAsync<long>(SqlPurgeClosed, new { Now = now, Cutoff = cutoff, Batch = batch }, tx)).AsList();
        if (ids.Count > 0) await tx.Connection!.ExecuteAsync(ListParameters.For(tx.Connection!, SqlPurgeEvents), new { Ids = ids }, tx);
        return ids.Count;
    }
    private const string SqlSetMedia = "UPDATE cases SET media = @Media WHERE id = @Id";

    /// <summary>Adds photos from a later report of the same patient to the case (read, merged, written: portable SQL).</summary>
    public async Task AddMediaAsync(DbTransaction tx, long id, IReadOnlyList<string> media)
    {
        if (media.Count == 0) return;
        var json = await tx.Connection!.ExecuteScalarAsync<string>(SqlMedia, new { Id = id }, tx);
        var current = JsonSerializer.Deserialize(json ?? "[]", DialogJson.Readable.IReadOnlyListString) ?? [];
        await tx.Connection!.ExecuteAsync(SqlSetMedia,
            new { Id = id, Media = JsonSerializer.Serialize(current.Concat(media).Distinct(StringComparer.Ordinal).ToList(), DialogJson.Readable.IReadOnlyListString) }, tx);
    }

    private const string SqlAddFlag = """
        UPDATE cases SET flags = CASE WHEN flags = '' THEN @Flag WHEN (',' || flags || ',') LIKE ('%,' || @Flag || ',%') THEN flags
                                      ELSE flags || ',' || @Flag END
        WHERE id = @Id
        """;

    public Task AddFlagAsync(DbTransaction tx, long id, string flag) =>
        tx.Connection!.ExecuteAsync(SqlAddFlag, new { Id = id, Flag = flag }, tx);

    // Asked again after declining or being released (an officer's choice; routing never re-asks): notified afresh.
    private const string SqlAddAssignment = """
        INSERT INTO case_assignments (case_id, partner_id, need, status, notified_at) VALUES (@CaseId, @PartnerId, @Need, 'notified', @Now)
        ON CONFLICT (case_id, partner_id, need) DO UPDATE SET status = 'notified', notified_at = excluded.notified_at, responded_at = NULL
        WHERE case_assignments.status IN ('declined', 'released')
        """;

    public Task AddAssignmentAsync(DbTransaction tx, long caseId, string partnerId, string need, long now) =>
        tx.Connection!.ExecuteAsync(SqlAddAssignment, new { CaseId = caseId, PartnerId = partnerId, Need = need, Now = now }, tx);

    private const string SqlAssignments = """
        SELECT a.partner_id AS PartnerId, a.need AS Need, a.status AS Status, p.contact AS Contact, p.name AS PartnerName
        FROM case_assignments a JOIN partners p ON p.id = a.partner_id WHERE a.case_id = @CaseId ORDER BY a.id
        """;

    public async Task<IReadOnlyList<AssignmentRow>> AssignmentsAsync(DbTransaction tx, long caseId) =>
        (await tx.Connection!.QueryAsync<AssignmentRow>(SqlAssignments, new { CaseId = caseId }, tx)).AsList();

    private const string SqlSetAssignments = """
        UPDATE case_assignments SET status = @To, responded_at = @Now
        WHERE case_id = @CaseId AND partner_id = @PartnerId AND status IN @From
        """;

    public Task SetAssignmentsAsync(DbTransaction tx, long caseId, string partnerId, string[] from, string to, long now) =>
        tx.Connection!.ExecuteAsync(ListParameters.For(tx.Connection!, SqlSetAssignments), new { CaseId = caseId, PartnerId = partnerId, From = from, To = to, Now = now }, tx);

    private const string SqlOpenForPartner = """
        SELECT DISTINCT c.code FROM case_assignments a JOIN cases c ON c.id = a.case_id
        WHERE a.partner_id = @PartnerId AND a.status IN ('notified', 'accepted') AND c.status NOT IN ('resolved', 'cancelled')
        """;

    // One indexed search per deadline (0021_due_indexes): with the three in one OR, SQLite read every case.
    private const string SqlOverdue = """
        SELECT id AS Id, code AS Code, status AS Status,
               CASE WHEN accept_due_at <= @Now THEN 'accept' WHEN arrive_due_at <= @Now THEN 'arrive' ELSE 'resolve' END AS Deadline
        FROM cases
        WHERE id IN (SELECT id FROM cases WHERE status NOT IN ('resolved', 'cancelled') AND accept_due_at <= @Now
                     UNION ALL SELECT id FROM cases WHERE status NOT IN ('resolved', 'cancelled') AND arrive_due_at <= @Now
                     UNION ALL SELECT id FROM cases WHERE status NOT IN ('resolved', 'cancelled') AND resolve_due_at <= @Now)
        ORDER BY id LIMIT @Limit
        """;

    /// <summary>Open cases past an SLA deadline, with the deadline that passed first.</summary>
    public async Task<IReadOnlyList<OverdueCase>> FindOverdueAsync(DbTransaction tx, long now, int limit) =>
        (await tx.Connection!.QueryAsync<OverdueCase>(SqlOverdue, new { Now = now, Limit = limit }, tx)).AsList();

    private const string SqlClaimAccept = "UPDATE cases SET accept_due_at = NULL WHERE id = @Id AND accept_due_at <= @Now";
    private const string SqlClaimArrive = "UPDATE cases SET arrive_due_at = NULL WHERE id = @Id AND arrive_due_at <= @Now";
    private const string SqlClaimResolve = "UPDATE cases SET resolve_due_at = NULL WHERE id = @Id AND resolve_due_at <= @Now";

    /// <summary>A deadline escalates once: the job that clears it (still due, under the row's lock) escalates it; a job
    /// of another instance that found the same case gets false and leaves it. After that it is the officers' to watch.</summary>
    public async Task<bool> ClaimDeadlineAsync(DbTransaction tx, long id, string deadline, long now) =>
        await tx.Connection!.ExecuteAsync(deadline switch { "accept" => SqlClaimAccept, "arrive" => SqlClaimArrive, _ => SqlClaimResolve },
            new { Id = id, Now = now }, tx) == 1;

    private const string SqlLockPatient = "SELECT pg_advisory_xact_lock(hashtextextended(@Key, 0))";

    /// <summary>Takes a lock on one patient (their NIK's blind index) until the transaction ends, on PostgreSQL: there
    /// is no row to lock before their first case exists. On SQLite the one writer serializes reports already.</summary>
    public async Task<bool> LockPatientAsync(DbTransaction tx, string nikIndex)
    {
        if (tx.Connection is Npgsql.NpgsqlConnection)
            await tx.Connection.ExecuteAsync(SqlLockPatient, new { Key = "patient:" + nikIndex }, tx);
        return true;
    }

    private const string SqlLock = "UPDATE cases SET updated_at = updated_at WHERE code = @Code";

    /// <summary>Takes the case's row lock until the transaction ends (an update that changes nothing, the same SQL on
    /// both engines): status codes, officer actions and a second report read the case and decide after this, so two of
    /// them on one case never both decide on the same state. On SQLite the one writer holds it already.</summary>
    public Task LockAsync(DbTransaction tx, string code) => tx.Connection!.ExecuteAsync(SqlLock, new { Code = code }, tx);

    private const string SqlOpenCaseByNikIndex = """
        SELECT code FROM cases WHERE nik_index = @NikIndex AND status NOT IN ('resolved', 'cancelled', 'handoff')
          AND ((',' || flags || ',') LIKE '%,simulated,%') = @Simulated
        ORDER BY id LIMIT 1
        """;

    /// <summary>The open case of the same patient, found by the NIK's blind index (the NIK itself is never compared).
    /// A simulated report only ever joins a simulated case, and a real one a real case.</summary>
    public Task<string?> FindOpenByNikIndexAsync(DbTransaction tx, string nikIndex, bool simulated = false) =>
        tx.Connection!.QuerySingleOrDefaultAsync<string?>(SqlOpenCaseByNikIndex, new { NikIndex = nikIndex, Simulated = simulated }, tx);

    /// <summary>The codes of the open cases a partner was asked about and has not declined.</summary>
    public async Task<IReadOnlyList<string>> OpenCodesForPartnerAsync(DbTransaction tx, string partnerId) =>
        (await tx.Connection!.QueryAsync<string>(SqlOpenForPartner, new { PartnerId = partnerId }, tx)).AsList();
}

public sealed class WaitingHandoff
{
    public long Id { get; init; }
    public string Code { get; init; } = "";
}

public static class CaseFlags
{
    public const string Simulated = "simulated";
    public const string Duplicate = "duplicate";
    public const string Handoff = "handoff";
}

public sealed class OverdueCase
{
    public long Id { get; init; }
    public string Code { get; init; } = "";
    public string Status { get; init; } = "";
    /// <summary><c>accept</c>, <c>arrive</c> or <c>resolve</c>.</summary>
    public string Deadline { get; init; } = "";
}

public sealed class AssignmentRow
{
    public string PartnerId { get; init; } = "";
    public string Need { get; init; } = "";
    public string Status { get; init; } = "";
    public string Contact { get; init; } = "";
    public string PartnerName { get; init; } = "";
}
