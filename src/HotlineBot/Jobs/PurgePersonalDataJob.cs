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
public sealed partial class PurgePersonalDataJob(Database database, CaseStore cases, MessageStore messages, ConversationStore conversations,
    IOptions<PurgeOptions> options, TimeProvider time, ILogger<PurgePersonalDataJob> logger, InboundFailureStore failures)
{
    private const int Batch = 200;

    public async Task<PurgeResult> RunAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var casesCutoff = now - (long)options.Value.PurgeClosedCasesAfter.TotalMilliseconds;
        var textsCutoff = now - (long)options.Value.PurgeMessagesAfter.TotalMilliseconds;

        int purgedCases = 0, purgedTexts = 0, purgedStates = 0;
        for (var n = Batch; n == Batch; purgedCases += n)
            n = await database.WriteAsync(tx => cases.PurgeClosedAsync(tx, casesCutoff, now, Batch), ct);
        for (long after = 0; ;)
        {
            var ids = await database.WriteAsync(tx => messages.PurgeTextsAsync(tx, after, textsCutoff, Batch), ct);
            purgedTexts += ids.Count;
            if (ids.Count < Batch) break;
            after = ids.Max();
        }
        for (long after = 0; ;)
        {
            var ids = await database.WriteAsync(tx => conversations.PurgeStatesAsync(tx, after, textsCutoff, Batch), ct);
            purgedStates += ids.Count;
            if (ids.Count < Batch) break;
            after = ids.Max();
        }
        // Messages that failed to process (parked or not) keep a text and a number: they go with the other texts.
        purgedTexts += await database.WriteAsync(tx => failures.PurgeAsync(tx, textsCutoff), ct);

        if (purgedCases + purgedTexts + purgedStates > 0) LogPurged(logger, purgedCases, purgedTexts, purgedStates);
        return new PurgeResult(purgedCases, purgedTexts, purgedStates);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: purged personal data of {Cases} closed case(s), {Messages} message text(s), {Conversations} dialog state(s)")]
    private static partial void LogPurged(ILogger logger, int cases, int messages, int conversations);
}
