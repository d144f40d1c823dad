using HotlineBot.Core.Cases;
using System.Data.Common;
using Dapper;
using HotlineBot.Core.Indonesia.Regions;
using HotlineBot.Storage;

namespace HotlineBot.Dashboard;

public sealed class QueueItem
{
    public long Id { get; init; }
    public string Code { get; init; } = "";
    public string Status { get; init; } = "";
    public string PatientName { get; init; } = "";
    public string Address { get; init; } = "";
    public string? DistrictCode { get; init; }
    public string Needs { get; init; } = "";
    public string Flags { get; init; } = "";
    public long CreatedAt { get; init; }
    public long? AcceptDueAt { get; init; }
    public long? ArriveDueAt { get; init; }
    public long? ResolveDueAt { get; init; }
    /// <summary>Partners asked and still on the case, by name.</summary>
    public IReadOnlyList<string> PartnerList { get; set; } = [];
    /// <summary>An SLA deadline passed (and was escalated): the case is the officers' to chase now.</summary>
    public bool Breached { get; init; }

    public bool Urgent => Flags.Split(',').Contains("urgent");
    public IReadOnlyList<string> NeedList => Needs.Split(',', StringSplitOptions.RemoveEmptyEntries);
    public string District => DistrictCode is { } code && RegionIndex.Default.Find(code) is { } r ? r.Name : "";

    /// <summary>The next SLA deadline still running, and which one.</summary>
    public (string Kind, long At)? NextDeadline =>
        new (string Kind, long? At)[] { ("accept", AcceptDueAt), ("arrive", ArriveDueAt), ("resolve", ResolveDueAt) }
            .Where(d => d.At is not null).OrderBy(d => d.At).Select(d => ((string, long)?)(d.Kind, d.At!.Value)).FirstOrDefault();
}

public sealed class CaseDetail
{
    public long Id { get; init; }
    public string Code { get; init; } = "";
    public string Status { get; init; } = "";
    public string PatientName { get; init; } = "";
    public string? NikMasked { get; init; }
    public bool HasNik { get; init; }
    public string Address { get; init; } = "";
    public string? DistrictCode { get; init; }
    public string? VillageCode { get; init; }
    public double? Latitude { get; init; }
    public double? Longitude { get; init; }
    public string Needs { get; init; } = "";
    public string Flags { get; init; } = "";
    public string Details { get; init; } = "{}";
    public string Media { get; init; } = "[]";
    public string? DuplicateOf { get; init; }
    public long ReporterContactId { get; init; }
    public string ReporterAddress { get; init; } = "";
    public string ReporterLanguage { get; init; } = "id";
    public long? ConversationStartedAt { get; init; }
    public long CreatedAt { get; init; }
    public long? AcceptDueAt { get; init; }
    public long? ArriveDueAt { get; init; }
    public long? ResolveDueAt { get; init; }
    /// <summary>When the retention job erased the case's personal data, if it did.</summary>
    public long? PurgedAt { get; init; }

    public IReadOnlyList<string> NeedList => Needs.Split(',', StringSplitOptions.RemoveEmptyEntries);
    public IReadOnlyList<string> FlagList => Flags.Split(',', StringSplitOptions.RemoveEmptyEntries);
    public string District => DistrictCode is { } code && RegionIndex.Default.Find(code) is { } r ? r.Name : "";
    public string Village => VillageCode is { } code && RegionIndex.Default.Find(code) is { } r ? r.Name : "";
}

/// <summary>An open case with a position (a shared WhatsApp location), for the map.</summary>
public sealed class MappedCase
{
    public string Code { get; init; } = "";
    public string Status { get; init; } = "";
    public string PatientName { get; init; } = "";
    public string Needs { get; init; } = "";
    public string Flags { get; init; } = "";
    public string? DistrictCode { get; init; }
    public string? VillageCode { get; init; }
    public double Latitude { get; init; }
    public double Longitude { get; init; }

    public Core.Dialogs.GeoPoint Position => new(Latitude, Longitude);
    public IReadOnlyList<string> NeedList => Needs.Split(',', StringSplitOptions.RemoveEmptyEntries);
    public bool Urgent => Flags.Split(',').Contains("urgent");
    public string Place => string.Join(" · ", new[] { VillageCode, DistrictCode }.Select(c => c is { } code && RegionIndex.Default.Find(code) is { } r ? r.Name : null).OfType<string>());
}

public sealed class CaseEventRow
{
    public long Id { get; init; }
    public string Kind { get; init; } = "";
    public string Actor { get; init; } = "";
    public string Detail { get; init; } = "";
    public long CreatedAt { get; init; }
}

public sealed class MessageRow
{
    public long Id { get; init; }
    public string Direction { get; init; } = "";
    public string Provider { get; init; } = "";
    public string Address { get; init; } = "";
    public string Body { get; init; } = "";
    public string Status { get; init; } = "";
    public string Kind { get; init; } = "";
    public long Attempts { get; init; }
    public string? LastError { get; init; }
    public long CreatedAt { get; init; }
    public long? SentAt { get; init; }
}

public sealed class AssignmentView
{
    public string PartnerId { get; init; } = "";
    public string PartnerName { get; init; } = "";
    public string Contact { get; init; } = "";
    public string Need { get; init; } = "";
    public string Status { get; init; } = "";
    public long NotifiedAt { get; init; }
    public long? RespondedAt { get; init; }
}

/// <summary>A partner as the partners page lists it: the stored partner and how many open cases it holds.</summary>
public sealed record PartnerView(Core.Routing.Partner Partner, long OpenCases)
{
    public string Id => Partner.Id;
    public string Name => Partner.Name;
    public string Kind => Partner.Kind;
    public string Contact => Partner.Contact;
    public string Serves => string.Join(',', Partner.Serves);
    public string Areas => string.Join(',', Partner.Areas);
    public double? RadiusKm => Partner.RadiusKm;
    public bool Active => Partner.Active;
}

/// <summary>What the dashboard reads. Plain SQL over the same tables the pipeline writes; nothing here writes.</summary>
public sealed class DashboardQueries(Database database)
{
    /// <summary>The most open cases the queue holds: the most pressing ones.</summary>
    public const int QueueLimit = 1000;

    // The queue's order, in SQL so that its limit keeps the most pressing cases, not the newest: citizens promised an
    // officer's call (handoffs) first, then urgent, then past an SLA deadline, then by the nearest deadline still
    // running (the earliest of the three; none last), then oldest first. Written for both engines (no LEAST, whose NULLs
    // differ; NULLs placed explicitly).
    private const string SqlNextDeadline = """
        CASE WHEN c.accept_due_at IS NOT NULL AND (c.arrive_due_at IS NULL OR c.accept_due_at <= c.arrive_due_at)
                  AND (c.resolve_due_at IS NULL OR c.accept_due_at <= c.resolve_due_at) THEN c.accept_due_at
             WHEN c.arrive_due_at IS NOT NULL AND (c.resolve_due_at IS NULL OR c.arrive_due_at <= c.resolve_due_at) THEN c.arrive_due_at
             ELSE c.resolve_due_at END
        """;
    private const string SqlQueue = """
        SELECT q.* FROM (
            SELECT c.id AS Id, c.code AS Code, c.status AS Status, c.patient_name AS PatientName, c.address AS Address,
                   c.district_code AS DistrictCode, c.needs AS Needs, c.flags AS Flags, c.created_at AS CreatedAt,
                   c.accept_due_at AS AcceptDueAt, c.arrive_due_at AS ArriveDueAt, c.resolve_due_at AS ResolveDueAt,
                   EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id
                            AND e.kind IN ('sla_accept_breached', 'sla_arrive_breached', 'sla_resolve_breached')) AS Breached,
        """ + SqlNextDeadline + """
             AS NextDue
            FROM cases c WHERE c.status NOT IN ('resolved', 'cancelled')) q
        ORDER BY CASE WHEN q.Status = 'handoff' THEN 0 ELSE 1 END,
                 CASE WHEN ',' || q.Flags || ',' LIKE '%,urgent,%' THEN 0 ELSE 1 END,
                 CASE WHEN q.Breached THEN 0 ELSE 1 END,
                 CASE WHEN q.NextDue IS NULL THEN 1 ELSE 0 END, q.NextDue, q.CreatedAt, q.Id
        LIMIT @Limit
        """;

    private const string SqlOpenCount = "SELECT count(*) FROM cases WHERE status NOT IN ('resolved', 'cancelled')";

    private const string SqlQueuePartners = """
        SELECT DISTINCT a.case_id, p.name FROM case_assignments a JOIN partners p ON p.id = a.partner_id
        WHERE a.case_id IN @Ids AND a.status IN ('notified', 'accepted', 'done')
        ORDER BY p.name
        """;

    /// <summary>Open cases, at most <see cref="QueueLimit"/> of them and the most pressing first, and how many are open.</summary>
    public sealed record OpenCases(IReadOnlyList<QueueItem> Items, long Total);

    /// <summary>The queue: the most pressing open cases first (<see cref="SqlQueue"/>), and how many are open in all.</summary>
    public async Task<OpenCases> OpenCasesAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<QueueItem>(SqlQueue, new { Limit = QueueLimit })).AsList();
        var total = await connection.ExecuteScalarAsync<long>(SqlOpenCount);
        var partners = (await connection.QueryAsync<(long CaseId, string Name)>(ListParameters.For(connection, SqlQueuePartners), new { Ids = rows.Select(r => r.Id).ToList() }))
            .ToLookup(p => p.CaseId, p => p.Name);
        foreach (var row in rows) row.PartnerList = partners[row.Id].ToList();
        return new OpenCases(rows, total);
    }

    private const string SqlMapped = """
        SELECT code AS Code, status AS Status, patient_name AS PatientName, needs AS Needs, flags AS Flags,
               district_code AS DistrictCode, village_code AS VillageCode, latitude AS Latitude, longitude AS Longitude
        FROM cases WHERE status NOT IN ('resolved', 'cancelled') AND latitude IS NOT NULL AND longitude IS NOT NULL
        ORDER BY id DESC LIMIT 500
        """;

    public async Task<IReadOnlyList<MappedCase>> MappedCasesAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<MappedCase>(SqlMapped)).AsList();
    }

    private const string SqlCase = """
        SELECT c.id AS Id, c.code AS Code, c.status AS Status, c.patient_name AS PatientName, c.nik_masked AS NikMasked,
               c.nik_ciphertext IS NOT NULL AS HasNik, c.address AS Address, c.district_code AS DistrictCode,
               c.village_code AS VillageCode, c.latitude AS Latitude, c.longitude AS Longitude, c.needs AS Needs,
               c.flags AS Flags, c.details AS Details, c.media AS Media, c.duplicate_of AS DuplicateOf,
               c.reporter_contact_id AS ReporterContactId, k.address AS ReporterAddress, k.language AS ReporterLanguage,
               v.started_at AS ConversationStartedAt, c.created_at AS CreatedAt, c.accept_due_at AS AcceptDueAt,
               c.arrive_due_at AS ArriveDueAt, c.resolve_due_at AS ResolveDueAt, c.purged_at AS PurgedAt
        FROM cases c JOIN contacts k ON k.id = c.reporter_contact_id LEFT JOIN conversations v ON v.id = c.conversation_id
        WHERE c.code = @Code
        """;

    public async Task<CaseDetail?> CaseAsync(string code, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<CaseDetail>(SqlCase, new { Code = code });
    }

    private const string SqlEvents = """
        SELECT id AS Id, kind AS Kind, actor AS Actor, detail AS Detail, created_at AS CreatedAt
        FROM case_events WHERE case_id = @CaseId ORDER BY id
        """;

    public async Task<IReadOnlyList<CaseEventRow>> EventsAsync(long caseId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<CaseEventRow>(SqlEvents, new { CaseId = caseId })).AsList();
    }

    private const string SqlMessageColumns = """
        SELECT m.id AS Id, m.direction AS Direction, m.provider AS Provider, k.address AS Address, m.body AS Body,
               m.status AS Status, m.kind AS Kind, m.attempts AS Attempts, m.last_error AS LastError,
               m.created_at AS CreatedAt, m.sent_at AS SentAt
        FROM messages m JOIN contacts k ON k.id = m.contact_id
        """;
    private const string SqlTranscript = SqlMessageColumns + " WHERE m.contact_id = @ContactId AND m.created_at >= @Since ORDER BY m.id LIMIT 500";

    /// <summary>The reporter's conversation: every message in and out from the start of the report on.</summary>
    public async Task<IReadOnlyList<MessageRow>> TranscriptAsync(long contactId, long since, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<MessageRow>(SqlTranscript, new { ContactId = contactId, Since = since })).AsList();
    }

    private const string SqlAssignments = """
        SELECT a.partner_id AS PartnerId, p.name AS PartnerName, p.contact AS Contact, a.need AS Need, a.status AS Status,
               a.notified_at AS NotifiedAt, a.responded_at AS RespondedAt
        FROM case_assignments a JOIN partners p ON p.id = a.partner_id WHERE a.case_id = @CaseId ORDER BY a.id
        """;

    /// <summary>Each need's own state from the partners' answers: what officers still have to see to when one partner is done.</summary>
    public static IReadOnlyDictionary<string, NeedState> NeedStates(string needs, IEnumerable<AssignmentView> assignments) =>
        NeedProgress.Of(needs.Split(',', StringSplitOptions.RemoveEmptyEntries), assignments.Select(a => new NeedAssignment(a.Need, a.PartnerId, a.Status)));

    public async Task<IReadOnlyList<AssignmentView>> AssignmentsAsync(long caseId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<AssignmentView>(SqlAssignments, new { CaseId = caseId })).AsList();
    }

    private const string SqlPartnerMessages = SqlMessageColumns + """
         WHERE m.case_id = @CaseId AND m.kind <> 'reporter_update' ORDER BY m.id LIMIT 200
        """;

    /// <summary>What went to and came from partners and duty officers about this case, and nothing about another
    /// (messages carry their case's id; a partner's messages about other patients stay on those cases' pages).</summary>
    public async Task<IReadOnlyList<MessageRow>> PartnerMessagesAsync(long caseId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<MessageRow>(SqlPartnerMessages, new { CaseId = caseId })).AsList();
    }

    // One page of the outbound or inbound stream, newest first, within [From, To) of created_at.
    private const string SqlMessagesWhere = " WHERE m.direction = @Direction AND (@Status IS NULL OR m.status = @Status) AND m.created_at >= @From AND m.created_at < @To";
    private const string SqlMessagesPage = SqlMessageColumns + SqlMessagesWhere + " ORDER BY m.id DESC LIMIT @Limit OFFSET @Offset";
    private const string SqlMessagesCount = "SELECT count(*) FROM messages m" + SqlMessagesWhere;
    private const string SqlOutboundCounts = """
        SELECT status AS Status, count(*) AS Count FROM messages
        WHERE direction = 'out' AND created_at >= @From AND created_at < @To GROUP BY status
        """;

    /// <summary>A page of rows and how many there are in all.</summary>
    public sealed record Page<T>(IReadOnlyList<T> Rows, long Total);

    /// <summary>A time range for a list: from the start of <c>From</c> to the end of <c>To</c>, each open when null.</summary>
    public sealed record Range(long From, long To)
    {
        public static readonly Range All = new(0, long.MaxValue);
    }

    /// <param name="direction"><c>out</c> (the outbox) or <c>in</c>.</param>
    public async Task<Page<MessageRow>> MessagesAsync(string direction, string? status, Range range, int offset, int limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(range);
        await using var connection = await database.OpenAsync(ct);
        var args = new { Direction = direction, Status = status, range.From, range.To, Offset = offset, Limit = limit };
        var rows = (await connection.QueryAsync<MessageRow>(SqlMessagesPage, args)).AsList();
        return new Page<MessageRow>(rows, await connection.ExecuteScalarAsync<long>(SqlMessagesCount, args));
    }

    public async Task<IReadOnlyDictionary<string, long>> OutboundCountsAsync(Range range, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(range);
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<(string Status, long Count)>(SqlOutboundCounts, new { range.From, range.To })).ToDictionary(r => r.Status, r => r.Count);
    }

    private const string SqlOpenCasesByPartner = """
        SELECT a.partner_id, count(DISTINCT a.case_id) FROM case_assignments a JOIN cases c ON c.id = a.case_id
        WHERE a.status IN ('notified', 'accepted') AND c.status NOT IN ('resolved', 'cancelled')
        GROUP BY a.partner_id
        """;

    /// <summary>Every partner, active first, by name, with its open cases.</summary>
    public async Task<IReadOnlyList<PartnerView>> PartnersAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var open = (await connection.QueryAsync<(string PartnerId, long Count)>(SqlOpenCasesByPartner)).ToDictionary(r => r.PartnerId, r => r.Count);
        return (await PartnerStore.ListAllAsync(connection))
            .Select(p => new PartnerView(p, open.GetValueOrDefault(p.Id)))
            .OrderByDescending(p => p.Active).ThenBy(p => p.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    public async Task<IReadOnlyList<AuditLog.Entry>> AuditAsync(string? subject, int limit, CancellationToken ct) =>
        (await AuditPageAsync(subject, Range.All, 0, limit, ct)).Rows;

    public async Task<Page<AuditLog.Entry>> AuditPageAsync(string? subject, Range range, int offset, int limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(range);
        await using var connection = await database.OpenAsync(ct);
        var (rows, total) = await AuditLog.PageAsync(connection, subject, range.From, range.To, offset, limit);
        return new Page<AuditLog.Entry>(rows, total);
    }

    /// <summary>Runs a read on its own connection (reports build several queries on one).</summary>
    public async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> read, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(read);
        await using var connection = await database.OpenAsync(ct);
        return await read(connection);
    }
}
