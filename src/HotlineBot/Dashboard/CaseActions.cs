using System.Data.Common;
using Hangfire;
using HotlineBot.Cases;
using HotlineBot.Configuration;
using HotlineBot.Core.Cases;
using HotlineBot.Core.Indonesia;
using HotlineBot.Jobs;
using HotlineBot.Storage;
using Microsoft.Extensions.Options;

namespace HotlineBot.Dashboard;

/// <summary>
/// What a duty officer does to a case from the dashboard. Each action is one transaction that writes a case event with
/// the officer's name (actor <c>officer:&lt;username&gt;</c>); messages it causes are outbox rows, sent after commit.
/// What each action does to the case is the case engine's decision (<see cref="CaseEngine"/>); a simulated case's
/// messages go to simulated phones.
/// </summary>
public sealed class CaseActions(Database database, CaseStore cases, MessageStore messages, CaseEffects effects,
    AuditLog audit, NikProtector nik, OutboxDispatcher outbox, LiveUpdates live, TimeProvider time)
{
    /// <summary>Statuses an officer may set by hand, in case order.</summary>
    public static IReadOnlyList<string> SettableStatuses => CaseEngine.SettableStatuses;

    public static string Actor(string username) => CaseEngine.OfficerActor(username);

    /// <summary>The full NIK, for an officer who asked for it; the reveal is in the audit log before it is shown.</summary>
    public async Task<string?> RevealNikAsync(string code, string officer, CancellationToken ct)
    {
        var nikText = await database.WriteAsync(async tx =>
        {
            if (await cases.FindNikCiphertextAsync(tx, code) is not { Ciphertext: { } ciphertext } found) return null;
            var now = Now();
            await audit.WriteAsync(tx, Actor(officer), "nik_revealed", code, "", now);
            await cases.AddEventAsync(tx, found.Id, "nik_revealed", Actor(officer), "", now);
            return nik.Unprotect(ciphertext);
        }, ct);
        if (nikText is not null) live.Publish();
        return nikText;
    }

    /// <summary>The provider reference of the case's <paramref name="index"/>th attachment, for an officer about to see
    /// it (health photos, papers): the view is written to the audit log. Null when there is no such attachment.</summary>
    public Task<string?> OpenAttachmentAsync(string code, int index, string officer, CancellationToken ct) =>
        database.WriteAsync(async tx =>
        {
            var media = await cases.MediaAsync(tx, code);
            if (index < 0 || index >= media.Count) return null;
            await audit.WriteAsync(tx, Actor(officer), "attachment_viewed", code, (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), Now());
            return media[index];
        }, ct);

    /// <summary>Asks a partner to take the case (for the needs they serve, else all of it). With
    /// <paramref name="replace"/>, partners asked before are released and told so.</summary>
    public Task<bool> AssignAsync(string code, string partnerId, bool replace, string officer, CancellationToken ct) =>
        ActAsync(code, new OfficerAssigns(officer, partnerId, replace), ct);

    /// <summary>An officer takes a handoff: the citizen's item leaves the "needs an officer" state and becomes a case
    /// the officer completes (call the citizen, assign a partner) or closes. Only a handoff can be taken, once.</summary>
    public Task<bool> TakeHandoffAsync(string code, string officer, CancellationToken ct) =>
        ActAsync(code, new OfficerTakesHandoff(officer), ct);

    /// <summary>Sets the case's status by hand; the reporter hears of progress as they would from a partner.</summary>
    public Task<bool> ChangeStatusAsync(string code, string status, string note, string officer, CancellationToken ct) =>
        ActAsync(code, new OfficerSetsStatus(officer, status, note), ct);

    /// <summary>A free message from the officer to the reporter (<paramref name="to"/> = <c>reporter</c>) or a partner (its id).</summary>
    /// <summary>The longest message an officer may send: three SMS (459 GSM-7 characters, 201 with an emoji); the page
    /// counts the segments as they type.</summary>
    public const int MaxSegments = 3;
    public const int MaxMessageLength = 459;

    public Task<bool> MessageAsync(string code, string to, string text, string officer, CancellationToken ct) =>
        text.Length > MaxMessageLength || Core.Sms.SmsSegments.Count(text) > MaxSegments
            ? Task.FromResult(false)
            : ActAsync(code, new OfficerMessages(officer, to, text), ct);

    /// <summary>Closes the case as a second report of <paramref name="original"/>; partners still asked are released.</summary>
    public Task<bool> MarkDuplicateAsync(string code, string original, string officer, CancellationToken ct) =>
        ActAsync(code, async tx =>
        {
            // The kept case is locked and read too: "A duplicates B" and "B duplicates A" at once cannot close both.
            await cases.LockAsync(tx, original.Trim());
            return new OfficerMarksDuplicate(officer, await cases.FindStateAsync(tx, original.Trim()));
        }, ct);

    /// <summary>Closes the case, resolved or cancelled, with the officer's note.</summary>
    public Task<bool> CloseAsync(string code, bool resolved, string note, string officer, CancellationToken ct) =>
        ChangeStatusAsync(code, resolved ? CaseStatus.Resolved : CaseStatus.Cancelled, note, officer, ct);

    /// <summary>Sends a failed or undelivered message again, as a new attempt; written to the audit log.</summary>
    public async Task<bool> RetryMessageAsync(long messageId, string officer, CancellationToken ct)
    {
        var retried = await database.WriteAsync(async tx =>
        {
            var now = Now();
            var requeued = await messages.RequeueFailedAsync(tx, messageId, now);
            if (requeued is not null) await audit.WriteAsync(tx, Actor(officer), "message_retried", messageId.ToString(System.Globalization.CultureInfo.InvariantCulture), "", now);
            return requeued;
        }, ct);
        if (retried is { } message)
        {
            outbox.Post(message);
            live.Publish();
        }
        return retried is not null;
    }

    private Task<bool> ActAsync(string code, CaseCommand command, CancellationToken ct) => ActAsync(code, _ => Task.FromResult(command), ct);

    /// <summary>One action, one transaction: the case's lock, the case as it is now, the engine's decision and its
    /// effects (<see cref="CaseEffects"/>). A refused action writes nothing.</summary>
    private async Task<bool> ActAsync(string code, Func<DbTransaction, Task<CaseCommand>> command, CancellationToken ct)
    {
        var (done, queued) = await database.WriteAsync(async tx =>
        {
            await cases.LockAsync(tx, code);     // read and decided under the case's lock, as a partner's code is
            if (await cases.FindStateAsync(tx, code) is not { } state) return (false, new List<QueuedMessage>());
            var (outcome, queued) = await effects.DecideAsync(tx, state, await command(tx), Now());
            // Nothing half-done: a refused action must not leave rows behind.
            if (!outcome.Applied && outcome.Effects.Count > 0) throw new InvalidOperationException("A refused officer action cannot have effects.");
            return (outcome.Applied, queued);
        }, ct);
        foreach (var message in queued) outbox.Post(message);
        if (done) live.Publish();
        return done;
    }

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();
}
