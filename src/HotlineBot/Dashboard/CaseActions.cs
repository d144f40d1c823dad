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
/// A simulated case's messages go to simulated phones (<see cref="CaseRouting.QueueAsync"/>).
/// </summary>
public sealed class CaseActions(Database database, CaseStore cases, ContactStore contacts, PartnerStore partners, MessageStore messages, CaseRouting routing,
    AuditLog audit, NikProtector nik, IOptions<SlaOptions> sla, IBackgroundJobClient jobs, LiveUpdates live, TimeProvider time)
{
    /// <summary>Statuses an officer may set by hand, in case order.</summary>
    public static readonly IReadOnlyList<string> SettableStatuses =
        [CaseStatus.Routed, CaseStatus.Accepted, CaseStatus.Arrived, CaseStatus.Referred, CaseStatus.Resolved, CaseStatus.Cancelled];

    public static string Actor(string username) => "officer:" + username;

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
        ActAsync(code, async (tx, summary, now, queued) =>
        {
            var partner = (await partners.ListActiveAsync(tx)).FirstOrDefault(p => p.Id == partnerId);
            if (partner is null) return false;
            var assignments = await cases.AssignmentsAsync(tx, summary.Id);
            if (replace)
                foreach (var other in assignments.Where(a => a.PartnerId != partnerId && a.Status is "notified" or "accepted").GroupBy(a => a.PartnerId))
                {
                    await cases.SetAssignmentsAsync(tx, summary.Id, other.Key, ["notified", "accepted"], "released", now);
                    queued.Add(await routing.QueueAsync(tx, other.First().Contact, CaseMessages.PartnerTaken(summary.Code), now, "partner_notification", summary.Simulated, summary.Id));
                }
            var needs = summary.NeedList.Where(partner.Serves.Contains).ToList() is { Count: > 0 } served ? served : summary.NeedList.ToList();
            if (needs.Count == 0) needs = ["accompaniment"];
            foreach (var need in needs) await cases.AddAssignmentAsync(tx, summary.Id, partnerId, need, now);
            queued.Add(await routing.QueueAsync(tx, partner.Contact,
                CaseMessages.PartnerNotification(summary.Code, summary.PatientName, summary.NikMasked, summary.Address, needs, summary.Urgent),
                now, "partner_notification", summary.Simulated, summary.Id));
            await cases.AddEventAsync(tx, summary.Id, replace ? "reassigned" : "assigned", Actor(officer), $"{partnerId}: {string.Join(',', needs)}", now);
            if (summary.Status == CaseStatus.New) await routing.StartAcceptDeadlineAsync(tx, summary.Id, now);
            return true;
        }, ct);

    /// <summary>An officer takes a handoff: the citizen's item leaves the "needs an officer" state and becomes a case
    /// the officer completes (call the citizen, assign a partner) or closes. Only a handoff can be taken, once.</summary>
    public Task<bool> TakeHandoffAsync(string code, string officer, CancellationToken ct) =>
        ActAsync(code, async (tx, summary, now, queued) =>
        {
            if (summary.Status != CaseStatus.Handoff) return false;
            await cases.SetStatusAsync(tx, summary.Id, CaseStatus.New, now);
            await cases.AddEventAsync(tx, summary.Id, "handoff_taken", Actor(officer), "", now);
            return true;
        }, ct);

    /// <summary>Sets the case's status by hand; the reporter hears of progress as they would from a partner.</summary>
    public Task<bool> ChangeStatusAsync(string code, string status, string note, string officer, CancellationToken ct) =>
        ActAsync(code, async (tx, summary, now, queued) =>
        {
            if (!SettableStatuses.Contains(status) || status == summary.Status) return false;
            long? arrive = status == CaseStatus.Accepted ? now + (long)sla.Value.ArriveWithin.TotalMilliseconds : null;
            long? resolve = status == CaseStatus.Accepted ? now + (long)sla.Value.ResolveWithin.TotalMilliseconds : null;
            long? accept = status == CaseStatus.Routed ? now + (long)sla.Value.AcceptWithin.TotalMilliseconds : null;
            await cases.SetStatusAsync(tx, summary.Id, status, now, accept, arrive, resolve);
            // Each deadline set here is escalated on time, as when routing or a partner's TERIMA set it.
            if (accept is not null) routing.ScheduleEscalation(tx, sla.Value.AcceptWithin);
            if (arrive is not null) routing.ScheduleEscalation(tx, sla.Value.ArriveWithin);
            if (resolve is not null) routing.ScheduleEscalation(tx, sla.Value.ResolveWithin);
            await cases.AddEventAsync(tx, summary.Id, EventKind(status), Actor(officer), NikRedactor.Redact(note.Trim()), now);
            if (status is CaseStatus.Accepted or CaseStatus.Arrived or CaseStatus.Referred or CaseStatus.Resolved)
            {
                var reporter = await contacts.GetAsync(tx, summary.ReporterContactId);
                queued.Add(await routing.QueueAsync(tx, reporter.Address,
                    CaseMessages.ReporterUpdate(summary.Code, status, "Petugas Dinsos", note.Trim().Length > 0 ? note.Trim() : "fasilitas kesehatan", reporter.Language),
                    now, "reporter_update", summary.Simulated, summary.Id));
            }
            return true;
        }, ct);

    /// <summary>A free message from the officer to the reporter (<paramref name="to"/> = <c>reporter</c>) or a partner (its id).</summary>
    public Task<bool> MessageAsync(string code, string to, string text, string officer, CancellationToken ct) =>
        ActAsync(code, async (tx, summary, now, queued) =>
        {
            var body = NikRedactor.Redact(text.Trim());
            if (body.Length == 0) return false;
            string address, kind;
            if (to == "reporter")
            {
                address = (await contacts.GetAsync(tx, summary.ReporterContactId)).Address;
                kind = "reporter_update";
            }
            else if ((await partners.ListActiveAsync(tx)).FirstOrDefault(p => p.Id == to) is { } partner)
            {
                address = partner.Contact;
                kind = "partner_notification";
            }
            else return false;
            queued.Add(await routing.QueueAsync(tx, address, body, now, kind, summary.Simulated, summary.Id));
            await cases.AddEventAsync(tx, summary.Id, "officer_message", Actor(officer), $"{to}: {body}", now);
            return true;
        }, ct);

    /// <summary>Closes the case as a second report of <paramref name="original"/>; partners still asked are released.</summary>
    public Task<bool> MarkDuplicateAsync(string code, string original, string officer, CancellationToken ct) =>
        ActAsync(code, async (tx, summary, now, queued) =>
        {
            // The kept case is locked and read too: "A duplicates B" and "B duplicates A" at once cannot close both.
            await cases.LockAsync(tx, original.Trim());
            var kept = await cases.FindSummaryAsync(tx, original.Trim());
            if (kept is null || kept.Id == summary.Id || kept.Status is CaseStatus.Resolved or CaseStatus.Cancelled) return false;
            await cases.SetDuplicateOfAsync(tx, summary.Id, kept.Code);
            await cases.AddFlagAsync(tx, summary.Id, CaseFlags.Duplicate);
            await cases.SetStatusAsync(tx, summary.Id, CaseStatus.Cancelled, now);
            foreach (var asked in (await cases.AssignmentsAsync(tx, summary.Id)).Where(a => a.Status is "notified" or "accepted").GroupBy(a => a.PartnerId))
            {
                await cases.SetAssignmentsAsync(tx, summary.Id, asked.Key, ["notified", "accepted"], "released", now);
                queued.Add(await routing.QueueAsync(tx, asked.First().Contact, CaseMessages.PartnerTaken(summary.Code), now, "partner_notification", summary.Simulated, summary.Id));
            }
            await cases.AddEventAsync(tx, summary.Id, "duplicate_of", Actor(officer), kept.Code, now);
            await cases.AddEventAsync(tx, kept.Id, "duplicate_linked", Actor(officer), summary.Code, now);
            return true;
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
            var changed = await messages.RequeueFailedAsync(tx, messageId, now);
            if (changed) await audit.WriteAsync(tx, Actor(officer), "message_retried", messageId.ToString(System.Globalization.CultureInfo.InvariantCulture), "", now);
            return changed;
        }, ct);
        if (retried)
        {
            jobs.Enqueue<DeliverMessageJob>(j => j.RunAsync(messageId, CancellationToken.None));
            live.Publish();
        }
        return retried;
    }

    /// <summary>The case event kind for a status set by hand: the same words partners' codes write, so reports count both.</summary>
    public static string EventKind(string status) => status switch
    {
        CaseStatus.Accepted => "accept",
        CaseStatus.Arrived => "arrive",
        CaseStatus.Referred => "refer",
        CaseStatus.Resolved => "resolve",
        CaseStatus.Cancelled => "cancel",
        _ => "status_" + status,
    };

    private async Task<bool> ActAsync(string code, Func<DbTransaction, CaseSummary, long, List<long>, Task<bool>> act, CancellationToken ct)
    {
        var (done, queued) = await database.WriteAsync(async tx =>
        {
            var queued = new List<long>();
            await cases.LockAsync(tx, code);     // read and decided under the case's lock, as a partner's code is
            if (await cases.FindSummaryAsync(tx, code) is not { } summary) return (false, queued);
            var ok = await act(tx, summary, Now(), queued);
            // Nothing half-done: a refused action must not leave rows behind.
            if (!ok && queued.Count > 0) throw new InvalidOperationException("An action that wrote messages cannot be refused.");
            return (ok, queued);
        }, ct);
        foreach (var id in queued) jobs.Enqueue<DeliverMessageJob>(j => j.RunAsync(id, CancellationToken.None));
        if (done) live.Publish();
        return done;
    }

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();
}
