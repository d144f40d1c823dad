using Dapper;
using HotlineBot.Storage;
using Microsoft.Extensions.Options;

namespace HotlineBot.Jobs;

public sealed class PurgeOptions
{
    public const string Section = "Privacy";

    /// <summary>A resolved or cancelled case keeps its personal data this long after it closed.</summary>
    public TimeSpan PurgeClosedCasesAfter { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Message texts and dialog states are kept this long, unless the contact reported a case still open.</summary>
    public TimeSpan PurgeMessagesAfter { get; set; } = TimeSpan.FromDays(90);
}

public sealed record PurgeResult(int Cases, int Messages, int Conversations);

/// <summary>
/// The retention schedule of DESIGN.md §6 and the PDP law (Pasal 42–44): personal data of closed cases is erased after
/// <c>Privacy:PurgeClosedCasesAfter</c> — name, NIK (ciphertext, mask and blind index), address, position, answers,
/// attachments, free-text event details — while the case row keeps what the reports count (code, dates, status, needs,
/// kecamatan). Raw message texts and dialog states go earlier, after <c>Privacy:PurgeMessagesAfter</c>, except for a
/// reporter whose case is still open. Runs daily and at start-up, in small transactions so webhooks never wait long.
/// </summary>
public sealed partial class PurgePersonalDataJob(Database database, IOptions<PurgeOptions> options, TimeProvider time, ILogger<PurgePersonalDataJob> logger)
{
    private const int Batch = 200;

    // Event kinds whose detail is only partner ids, case codes or system reasons: kept. Every other detail may carry
    // a name, an address or an officer's note about the patient.
    private const string SqlPurgeCases = """
        UPDATE cases SET patient_name = '', nik_ciphertext = NULL, nik_index = NULL, nik_masked = NULL, address = '',
                         latitude = NULL, longitude = NULL, village_code = NULL, details = '{}', media = '[]', purged_at = @Now
        WHERE id IN (SELECT id FROM cases WHERE purged_at IS NULL AND status IN ('resolved', 'cancelled') AND updated_at < @Cutoff
                     ORDER BY id LIMIT @Batch)
        RETURNING id
        """;
    private const string SqlPurgeEvents = """
        UPDATE case_events SET detail = '' WHERE case_id IN @Ids AND detail <> ''
          AND kind NOT IN ('notified', 'assigned', 'reassigned', 'unrouted', 'duplicate_of', 'duplicate_linked');
        UPDATE case_events SET actor = 'reporter'
        WHERE case_id IN @Ids AND (actor LIKE 'tel:%' OR actor LIKE 'whatsapp:%' OR actor LIKE 'sim:%')
        """;
    private const string SqlPurgeMessages = """
        UPDATE messages SET body = '', options = NULL
        WHERE id IN (SELECT m.id FROM messages m
                     WHERE m.id > @After AND m.created_at < @Cutoff AND m.body <> '' AND m.status NOT IN ('queued', 'sending')
                       AND m.contact_id NOT IN (SELECT reporter_contact_id FROM cases WHERE status NOT IN ('resolved', 'cancelled'))
                     ORDER BY m.id LIMIT @Batch)
        RETURNING id
        """;
    private const string SqlPurgeConversations = """
        UPDATE conversations SET state = '{}', status = CASE WHEN status = 'expired' THEN 'purged' ELSE status END
        WHERE id IN (SELECT id FROM conversations WHERE status <> 'active' AND state <> '{}' AND updated_at < @Cutoff ORDER BY id LIMIT @Batch)
        RETURNING id
        """;

    public async Task<PurgeResult> RunAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var casesCutoff = now - (long)options.Value.PurgeClosedCasesAfter.TotalMilliseconds;
        var messagesCutoff = now - (long)options.Value.PurgeMessagesAfter.TotalMilliseconds;

        var cases = 0;
        while (true)
        {
            var ids = await database.WriteAsync(async tx =>
            {
                var purged = (await tx.Connection!.QueryAsync<long>(SqlPurgeCases, new { Now = now, Cutoff = casesCutoff, Batch }, tx)).AsList();
                if (purged.Count > 0) await tx.Connection!.ExecuteAsync(SqlPurgeEvents, new { Ids = purged }, tx);
                return purged;
            }, ct);
            cases += ids.Count;
            if (ids.Count < Batch) break;
        }

        var messages = 0;
        for (long after = 0; ;)
        {
            var ids = await database.WriteAsync(async tx =>
                (await tx.Connection!.QueryAsync<long>(SqlPurgeMessages, new { After = after, Cutoff = messagesCutoff, Batch }, tx)).AsList(), ct);
            messages += ids.Count;
            if (ids.Count < Batch) break;
            after = ids.Max();
        }

        var conversations = 0;
        while (true)
        {
            var ids = await database.WriteAsync(async tx =>
                (await tx.Connection!.QueryAsync<long>(SqlPurgeConversations, new { Cutoff = messagesCutoff, Batch }, tx)).AsList(), ct);
            conversations += ids.Count;
            if (ids.Count < Batch) break;
        }

        if (cases + messages + conversations > 0) LogPurged(logger, cases, messages, conversations);
        return new PurgeResult(cases, messages, conversations);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: purged personal data of {Cases} closed case(s), {Messages} message text(s), {Conversations} dialog state(s)")]
    private static partial void LogPurged(ILogger logger, int cases, int messages, int conversations);
}
