using System.Data.Common;
using Dapper;
using HotlineBot.Core.Indonesia;

namespace HotlineBot.Storage;

/// <summary>Every message in and out. Bodies are stored with any NIK masked: every insert passes
/// <see cref="NikRedactor"/>, whatever the caller did.</summary>
public sealed class MessageStore
{
    private const string SqlReplies = "SELECT body FROM messages WHERE in_reply_to = @InboundId AND direction = 'out' ORDER BY id";

    public async Task<IReadOnlyList<string>> RepliesToAsync(DbTransaction tx, long inboundId) =>
        (await tx.Connection!.QueryAsync<string>(SqlReplies, new { InboundId = inboundId }, tx)).AsList();

    private const string SqlInsert = """
        INSERT INTO messages (contact_id, direction, provider, provider_message_id, in_reply_to, body, status, created_at, case_id)
        VALUES (@ContactId, @Direction, @Provider, @ProviderMessageId, @InReplyTo, @Body, @Status, @Now, @CaseId)
        RETURNING id
        """;

    /// <param name="caseId">The case a partner's status code acted on, so the case page shows it.</param>
    public Task<long> InsertInboundAsync(DbTransaction tx, long contactId, string provider, string providerMessageId, string body, long now, long? caseId = null) =>
        tx.Connection!.ExecuteScalarAsync<long>(SqlInsert, new
        {
            ContactId = contactId, Direction = "in", Provider = provider, ProviderMessageId = providerMessageId,
            InReplyTo = (long?)null, Body = NikRedactor.Redact(body), Status = "received", Now = now, CaseId = caseId,
        }, tx);

    /// <summary>A reply carried by the webhook's own response (TwiML), so it is sent the moment we commit.</summary>
    public Task<long> InsertInlineReplyAsync(DbTransaction tx, long contactId, string provider, long inReplyTo, string body, long now, long? caseId = null) =>
        tx.Connection!.ExecuteScalarAsync<long>(SqlInsert, new
        {
            ContactId = contactId, Direction = "out", Provider = provider, ProviderMessageId = (string?)null,
            InReplyTo = inReplyTo, Body = NikRedactor.Redact(body), Status = "replied", Now = now, CaseId = caseId,
        }, tx);

    private const string SqlInsertQueued = """
        INSERT INTO messages (contact_id, direction, provider, in_reply_to, body, kind, options, status, due_at, created_at, case_id)
        VALUES (@ContactId, 'out', @Provider, @InReplyTo, @Body, @Kind, @Options, 'queued', @Now, @Now, @CaseId)
        RETURNING id
        """;

    /// <summary>An outbox row: sent by <c>DeliverMessageJob</c> after the transaction that wrote it commits.</summary>
    /// <param name="inReplyTo">The inbound message this answers, when the provider cannot carry replies on its webhook.</param>
    /// <param name="kind"><c>reply</c>, <c>reporter_update</c>, <c>partner_notification</c>, <c>officer_alert</c> or <c>reminder</c>.</param>
    /// <param name="options">The answers of a single-choice question, for channels that show buttons.</param>
    public async Task<QueuedMessage> InsertQueuedAsync(DbTransaction tx, long contactId, string provider, string body, long now, long? inReplyTo = null,
        string kind = "reply", IReadOnlyList<string>? options = null, long? caseId = null) =>
        new(await tx.Connection!.ExecuteScalarAsync<long>(SqlInsertQueued, new
        {
            ContactId = contactId, Provider = provider, Body = NikRedactor.Redact(body), Now = now, InReplyTo = inReplyTo, Kind = kind, CaseId = caseId,
            Options = OptionsJson(options),
        }, tx), contactId);

    /// <summary>A question's answers as the <c>options</c> column stores them; null when there are none.</summary>
    internal static string? OptionsJson(IReadOnlyList<string>? options) =>
        options is { Count: > 0 } ? System.Text.Json.JsonSerializer.Serialize(options, DialogJson.Readable.IReadOnlyListString) : null;

    // Queued rows that are due, and rows whose sender died mid-send (lease expired): both go (back) to the queue.
    private const string SqlRequeueExpired = "UPDATE messages SET status = 'queued' WHERE status = 'sending' AND due_at <= @Now";
    // Oldest first: a contact's first waiting message must be among those posted, or the later ones it holds back could
    // fill every batch while it is never posted (its due time may be later than theirs: a retry, a pacing slot).
    // "+id" keeps SQLite from walking the whole table in id order to find the few queued rows: it searches
    // ix_messages_queued and sorts only the due rows.
    private const string SqlDueQueued = "SELECT id AS Id, contact_id AS ContactId FROM messages WHERE status = 'queued' AND due_at <= @Now ORDER BY +id LIMIT @Limit";

    // Only outbound rows are ever queued; a term on direction would draw the plan to the dashboard's direction index.
    private const string SqlOverdue = "SELECT count(*) FROM messages WHERE status = 'queued' AND due_at <= @Before";

    /// <returns>The due rows, and how many of them the sweep rescued: leases that ran out (a sender died) and rows due
    /// for more than a minute (their job was lost) — not the ones simply waiting their turn in a burst.</returns>
    public async Task<(IReadOnlyList<QueuedMessage> Due, int Rescued)> FindDueQueuedAsync(DbTransaction tx, long now, int limit)
    {
        var expired = await tx.Connection!.ExecuteAsync(SqlRequeueExpired, new { Now = now }, tx);
        var overdue = await tx.Connection!.ExecuteScalarAsync<int>(SqlOverdue, new { Before = now - 60_000 }, tx);
        return ((await tx.Connection!.QueryAsync<QueuedMessage>(SqlDueQueued, new { Now = now, Limit = limit }, tx)).AsList(), expired + overdue);
    }

    private const string SqlRequeueInterrupted = """
        UPDATE messages SET status = 'queued', due_at = @Now
        WHERE status = 'sending' AND (claimed_by IS NULL OR claimed_by <> @Current)
          AND (@All = 1 OR substr(claimed_by, 1, length(@Prefix)) = @Prefix)
        """;

    /// <summary>At start-up: a row still <c>sending</c> under this instance's name but an earlier boot was being sent when
    /// it died (a crash, SIGKILL), so it goes back to the queue now instead of when its lease ends; what this boot's own
    /// workers claimed meanwhile is left alone. On SQLite one process owns the database, so every earlier claim is this
    /// instance's (<paramref name="all"/>).</summary>
    public Task<int> RequeueInterruptedAsync(DbTransaction tx, long now, string instanceId, string currentClaim, bool all) =>
        tx.Connection!.ExecuteAsync(SqlRequeueInterrupted, new { Now = now, Prefix = instanceId + "/", Current = currentClaim, All = all ? 1 : 0 }, tx);

    private const string SqlClaim = """
        UPDATE messages SET status = 'sending', due_at = @LeaseUntil, claimed_by = @Instance
        WHERE id = @Id AND status = 'queued' AND due_at <= @Now
        """;

    /// <summary>Takes the row for one sender: false when another job has it, it is no longer queued, or it is not due
    /// yet (a retry's backoff, a pacing slot: the job scheduled for then takes it). The lease returns it to the queue if
    /// this process dies before recording the outcome.</summary>
    public async Task<bool> ClaimAsync(DbTransaction tx, long id, long now, long leaseUntil, string instance) =>
        await tx.Connection!.ExecuteAsync(SqlClaim, new { Id = id, Now = now, LeaseUntil = leaseUntil, Instance = instance }, tx) == 1;

    // "status IN ('queued', 'sending')" here and below is the predicate of ix_messages_contact_waiting, written out so
    // SQLite may use that partial index: a contact's waiting messages, not their whole history (a partner gets thousands).
    private const string SqlOutgoing = """
        SELECT m.id AS Id, m.provider AS Provider, m.body AS Body, m.status AS Status, m.attempts AS Attempts, m.kind AS Kind, m.options AS Options,
               m.outside_window AS OutsideWindow, c.address AS ContactAddress, c.opted_out AS OptedOut, c.last_inbound_at AS LastInboundAt,
               (SELECT k.created_at FROM cases k WHERE k.id = m.case_id) AS CaseCreatedAt,
               m.due_at AS DueAt,
               CASE WHEN EXISTS (SELECT 1 FROM messages e WHERE e.contact_id = m.contact_id AND e.direction = 'out'
                  AND e.status IN ('queued', 'sending') AND e.id < m.id
                  AND (e.status = 'sending' OR e.status = 'queued' AND NOT (e.attempts >= 2 AND e.due_at > @Now))) THEN 1 ELSE 0 END AS EarlierQueued
        FROM messages m JOIN contacts c ON c.id = m.contact_id
        WHERE m.id = @Id
        """;

    /// <param name="now">An earlier message that has failed twice and waits out its backoff (2 min, 8 min, … 2 h) no
    /// longer holds this one back: one flaky message must not keep a partner's or the officers' other messages for hours.
    /// After a single failure (a 30 s wait) order still wins.</param>
    public Task<OutgoingRow?> FindOutgoingAsync(DbTransaction tx, long id, long now) =>
        tx.Connection!.QuerySingleOrDefaultAsync<OutgoingRow>(SqlOutgoing, new { Id = id, Now = now }, tx);

    /// <summary>The same, read outside any write: what a job checks before it takes the writer.</summary>
    public Task<OutgoingRow?> FindOutgoingAsync(DbConnection connection, long id, long now) =>
        connection.QuerySingleOrDefaultAsync<OutgoingRow>(SqlOutgoing, new { Id = id, Now = now });

    private const string SqlNextOfContact = """
        SELECT id AS Id, contact_id AS ContactId, due_at AS DueAt, attempts AS Attempts FROM messages
        WHERE contact_id = (SELECT contact_id FROM messages WHERE id = @Id) AND direction = 'out' AND status IN ('queued', 'sending')
          AND status = 'queued'
          AND (id = @Id OR NOT (attempts >= 2 AND due_at > @Now))
        ORDER BY id LIMIT 2
        """;

    /// <summary>What to run once message <paramref name="id"/> is done with for now: that message itself when it is
    /// back in the queue (a retry, a pacing slot), and the contact's next message unless it must still wait behind this
    /// one (see <see cref="FindOutgoingAsync"/>) — each with the time it is due.</summary>
    public async Task<IReadOnlyList<DueRow>> NextOfContactAsync(DbTransaction tx, long id, long now)
    {
        var rows = (await tx.Connection!.QueryAsync<DueRow>(SqlNextOfContact, new { Id = id, Now = now }, tx)).AsList();
        var self = rows.Find(r => r.Id == id);
        // Another message goes next unless this one, still queued for its pacing slot, must leave before it.
        var next = rows.Find(r => r.Id != id && (self is null || r.Id < id || self.Attempts >= 2 && self.DueAt > now));
        return [.. new[] { self, next }.OfType<DueRow>()];
    }

    private const string SqlSent = """
        UPDATE messages SET status = 'sent', provider_message_id = @ProviderMessageId, sent_at = @Now, attempts = attempts + 1,
                            last_error = NULL, due_at = NULL
        WHERE id = @Id AND status = 'sending'
        """;

    public Task MarkSentAsync(DbTransaction tx, long id, string? providerMessageId, long now) =>
        tx.Connection!.ExecuteAsync(SqlSent, new { Id = id, ProviderMessageId = providerMessageId, Now = now }, tx);

    private const string SqlRetry = """
        UPDATE messages SET status = 'queued', attempts = attempts + 1, last_error = @Error, due_at = @DueAt
        WHERE id = @Id AND status = 'sending'
        """;

    public Task MarkRetryAsync(DbTransaction tx, long id, string error, long dueAt) =>
        tx.Connection!.ExecuteAsync(SqlRetry, new { Id = id, Error = error, DueAt = dueAt }, tx);

    private const string SqlDeferred = """
        UPDATE messages SET status = 'queued', last_error = @Error, due_at = @DueAt WHERE id = @Id AND status = 'sending'
        """;

    /// <summary>Back to the queue without using an attempt: nothing reached the provider.</summary>
    public Task MarkDeferredAsync(DbTransaction tx, long id, string error, long dueAt) =>
        tx.Connection!.ExecuteAsync(SqlDeferred, new { Id = id, Error = error, DueAt = dueAt }, tx);

    private const string SqlFailed = """
        UPDATE messages SET status = @Status, attempts = attempts + 1, last_error = @Error, due_at = NULL
        WHERE id = @Id AND status IN ('queued', 'sending')
        """;

    /// <summary>Not sent and not to be retried: <c>failed</c> (for the officers) or <c>suppressed</c> (opted out).</summary>
    public Task MarkFailedAsync(DbTransaction tx, long id, string status, string error) =>
        tx.Connection!.ExecuteAsync(SqlFailed, new { Id = id, Status = status, Error = error }, tx);

    private const string SqlLock = "UPDATE messages SET status = status WHERE id = @Id";

    /// <summary>Takes the message's row lock until the transaction ends (an update that changes nothing).</summary>
    public Task LockAsync(DbTransaction tx, long id) => tx.Connection!.ExecuteAsync(SqlLock, new { Id = id }, tx);

    // By the provider's id through ix_messages_sent_by_provider (0023), by ours through the key: with the two in one OR,
    // SQLite read every outbound message for each delivery report.
    private const string SqlReported = """
        SELECT m.id AS Id, m.status AS Status, c.address AS Address, m.outside_window AS OutsideWindow,
               m.provider_message_id AS ProviderMessageId
        FROM messages m JOIN contacts c ON c.id = m.contact_id
        WHERE m.id IN (SELECT id FROM messages WHERE direction = 'out' AND provider_message_id IS NOT NULL AND provider_message_id = @Sid
                       UNION ALL SELECT id FROM messages WHERE id = @Ours AND direction = 'out')
        ORDER BY (m.provider_message_id = @Sid) DESC NULLS LAST LIMIT 1
        """;

    /// <summary>The outgoing message a delivery report is about: by the provider's id, else by ours (a report may
    /// come before the send's answer was recorded).</summary>
    public Task<ReportedRow?> FindReportedAsync(DbTransaction tx, string providerMessageId, long? ourId) =>
        tx.Connection!.QuerySingleOrDefaultAsync<ReportedRow>(SqlReported, new { Sid = providerMessageId, Ours = ourId ?? -1 }, tx);

    private const string SqlReport = """
        UPDATE messages SET status = @Status, provider_message_id = coalesce(provider_message_id, @Sid),
            last_error = coalesce(@Error, last_error)
        WHERE id = @Id
        """;

    public Task MarkReportedAsync(DbTransaction tx, long id, string status, string providerMessageId, string? error) =>
        tx.Connection!.ExecuteAsync(SqlReport, new { Id = id, Status = status, Sid = providerMessageId, Error = error }, tx);

    private const string SqlRequeueOutsideWindow = """
        UPDATE messages SET status = 'queued', outside_window = 1, last_error = @Error, due_at = @Now WHERE id = @Id
        """;

    /// <summary>Back to the queue, now to be sent as outside WhatsApp's 24-hour window (template or SMS).</summary>
    public Task RequeueOutsideWindowAsync(DbTransaction tx, long id, string? error, long now) =>
        tx.Connection!.ExecuteAsync(SqlRequeueOutsideWindow, new { Id = id, Error = error, Now = now }, tx);

    private const string SqlOutboxDepth = """
        SELECT status AS State, provider AS Provider, count(*) AS Count FROM messages
        WHERE direction = 'out' AND status IN ('queued', 'sending', 'failed', 'undelivered')
        GROUP BY status, provider
        """;

    /// <summary>Outbound messages waiting or failed, by state and provider (the metrics' outbox depth; synchronous, as
    /// the exporter asks).</summary>
    public static IReadOnlyList<DepthRow> OutboxDepth(DbConnection connection) => connection.Query<DepthRow>(SqlOutboxDepth).AsList();

    private const string SqlSentTo = """
        SELECT m.id AS Id, m.body AS Body FROM messages m JOIN contacts c ON c.id = m.contact_id
        WHERE c.address IN @Addresses AND m.direction = 'out' AND m.status = 'sent' AND m.id > @After
        ORDER BY m.id
        """;

    /// <summary>What the outbox sent to these contact addresses after message <paramref name="after"/> (the terminal
    /// simulator asks for one number on every channel, the dashboard's for its simulated phone only).</summary>
    public static async Task<IReadOnlyList<SentRow>> SentToAsync(DbConnection connection, IReadOnlyList<string> addresses, long after) =>
        (await connection.QueryAsync<SentRow>(ListParameters.For(connection, SqlSentTo), new { Addresses = addresses, After = after })).AsList();

    private const string SqlRequeueFailed = """
        UPDATE messages SET status = 'queued', due_at = @Now, attempts = 0, outside_window = 0
        WHERE id = @Id AND direction = 'out' AND status IN ('failed', 'undelivered')
        RETURNING id AS Id, contact_id AS ContactId
        """;

    /// <summary>A failed or undelivered message back to the queue as new (an officer's retry); null for any other.</summary>
    public async Task<QueuedMessage?> RequeueFailedAsync(DbTransaction tx, long id, long now) =>
        (await tx.Connection!.QueryAsync<QueuedMessage>(SqlRequeueFailed, new { Id = id, Now = now }, tx)).AsList() is [var row] ? row : null;

    // Retention: texts of messages already sent or received, unless their contact reported a case still open.
    private const string SqlPurgeTexts = """
        UPDATE messages SET body = '', options = NULL
        WHERE id IN (SELECT m.id FROM messages m
                     WHERE m.id > @After AND m.created_at < @Cutoff AND m.body <> '' AND m.status NOT IN ('queued', 'sending')
                       AND m.contact_id NOT IN (SELECT reporter_contact_id FROM cases WHERE status NOT IN ('resolved', 'cancelled'))
                     ORDER BY m.id LIMIT @Batch)
          -- Again on the row itself: a message an officer queued again meanwhile keeps its text.
          AND status NOT IN ('queued', 'sending')
        RETURNING id
        """;

    /// <summary>Erases up to <paramref name="batch"/> message texts written before <paramref name="cutoff"/>, from id
    /// <paramref name="after"/> on; returns their ids.</summary>
    public async Task<IReadOnlyList<long>> PurgeTextsAsync(DbTransaction tx, long after, long cutoff, int batch) =>
        (await tx.Connection!.QueryAsync<long>(SqlPurgeTexts, new { After = after, Cutoff = cutoff, Batch = batch }, tx)).AsList();
}

public sealed class OutgoingRow
{
    public long Id { get; init; }
    public string Provider { get; init; } = "";
    public string Body { get; init; } = "";
    public string Status { get; init; } = "";
    public long Attempts { get; init; }
    public string Kind { get; init; } = "reply";
    public string? Options { get; init; }
    public string ContactAddress { get; init; } = "";
    public bool OptedOut { get; init; }
    public long? LastInboundAt { get; init; }
    /// <summary>WhatsApp said the window was closed after accepting this message: send it as outside the window.</summary>
    public bool OutsideWindow { get; init; }
    /// <summary>Older queued messages to the same contact: this one waits, so messages leave in order.</summary>
    public long EarlierQueued { get; init; }
    public long? DueAt { get; init; }
    /// <summary>When the case this message is about was created (for the case-to-notification delay).</summary>
    public long? CaseCreatedAt { get; init; }
}

public sealed class DepthRow
{
    public string State { get; init; } = "";
    public string Provider { get; init; } = "";
    public long Count { get; init; }
}

/// <summary>An outbox row to send, and the contact whose line it waits in: messages to one contact leave one at a
/// time, in order (<see cref="Jobs.OutboxDispatcher"/>).</summary>
public readonly record struct QueuedMessage(long Id, long ContactId);

public sealed class DueRow
{
    public long Id { get; init; }
    public long ContactId { get; init; }
    public long? DueAt { get; init; }
    public long Attempts { get; init; }
}

public sealed class ReportedRow
{
    public long Id { get; init; }
    public string Status { get; init; } = "";
    public string Address { get; init; } = "";
    public bool OutsideWindow { get; init; }
    public string? ProviderMessageId { get; init; }
}

public sealed class SentRow
{
    public long Id { get; init; }
    public string Body { get; init; } = "";
}
