using System.Data.Common;
using HotlineBot.Core.Cases;
using HotlineBot.Core.Dialogs;
using HotlineBot.Storage;

namespace HotlineBot.Cases;

/// <summary>
/// A citizen the bot could not help was told "Petugas kami akan menghubungi nomor ini": this keeps that promise, in
/// the caller's transaction. The handoff becomes an item on the officers' case queue (a case in status
/// <c>handoff</c>, with what was answered so far, why, and the conversation on its page) and an alert to the duty
/// officers through the outbox (<see cref="CitizenStuck"/>). A citizen stuck again before anyone took it adds to the
/// same item.
/// </summary>
public sealed class Handoffs(CaseStore cases, CaseCodes codes, CaseEffects effects)
{
    /// <param name="where">The question the citizen could not get past, as officers read it.</param>
    /// <returns>The outbox ids to enqueue after commit.</returns>
    public async Task<List<QueuedMessage>> OpenAsync(DbTransaction tx, HandoffRequested handoff, long contactId, string contactAddress,
        long conversationId, string where, long now)
    {
        ArgumentNullException.ThrowIfNull(handoff);
        var detail = $"{handoff.StepId}: {where}";
        if (await cases.FindOpenHandoffAsync(tx, contactId) is { } waiting)
        {
            await cases.LockAsync(tx, waiting.Code);     // decided under its lock, as an officer taking it is
            return (await effects.DecideAsync(tx, await cases.GetStateAsync(tx, waiting.Id), new CitizenStuck(contactAddress, detail, where, Opened: false), now)).Queued;
        }
        var flags = handoff.Draft.Flags.Append(CaseFlags.Handoff);
        if (contactAddress.StartsWith("sim:", StringComparison.Ordinal)) flags = flags.Append(CaseFlags.Simulated);
        var draft = handoff.Draft with { Flags = [.. flags.Distinct(StringComparer.Ordinal)] };
        var (caseId, _) = await cases.InsertAsync(tx, draft, contactId, conversationId, codes.Candidate, now, CaseStatus.Handoff);
        return (await effects.DecideAsync(tx, await cases.GetStateAsync(tx, caseId), new CitizenStuck(contactAddress, detail, where, Opened: true), now)).Queued;
    }

    /// <summary>A report the same citizen finished after all (case <paramref name="code"/>): a handoff still waiting
    /// about the same patient is closed, pointing at that case (<see cref="ReportFinished"/>). Decided under the
    /// handoff's lock, so an officer taking it at the same moment keeps it.</summary>
    public async Task SupersedeAsync(DbTransaction tx, long contactId, CaseDraft report, string code, long now)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (await cases.FindOpenHandoffAsync(tx, contactId) is not { } waiting) return;
        await cases.LockAsync(tx, waiting.Code);
        var state = await cases.GetStateAsync(tx, waiting.Id);
        await effects.DecideAsync(tx, state, new ReportFinished(code, report.PatientName, report.Nik?.BlindIndex), now);
    }
}
