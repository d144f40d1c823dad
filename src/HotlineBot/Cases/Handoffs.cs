using System.Data.Common;
using HotlineBot.Core.Cases;
using HotlineBot.Core.Dialogs;
using HotlineBot.Storage;

namespace HotlineBot.Cases;

/// <summary>
/// A citizen the bot could not help was told "Petugas kami akan menghubungi nomor ini": this keeps that promise, in
/// the caller's transaction. The handoff becomes an item on the officers' case queue (a case in status
/// <c>handoff</c>, with what was answered so far, why, and the conversation on its page) and an alert to the duty
/// officers through the outbox. A citizen stuck again before anyone took it adds to the same item.
/// </summary>
public sealed class Handoffs(CaseStore cases, CaseCodes codes, CaseRouting routing)
{
    /// <param name="where">The question the citizen could not get past, as officers read it.</param>
    /// <returns>The outbox ids to enqueue after commit.</returns>
    public async Task<List<long>> OpenAsync(DbTransaction tx, HandoffRequested handoff, long contactId, string contactAddress,
        long conversationId, string where, long now)
    {
        ArgumentNullException.ThrowIfNull(handoff);
        var simulated = contactAddress.StartsWith("sim:", StringComparison.Ordinal);
        var detail = $"{handoff.StepId}: {where}";
        if (await cases.FindOpenHandoffAsync(tx, contactId) is { } waiting)
        {
            await cases.AddEventAsync(tx, waiting.Id, "handoff", contactAddress, detail, now);
            return [];
        }
        var draft = handoff.Draft with { Flags = [.. handoff.Draft.Flags.Append(CaseFlags.Handoff).Distinct(StringComparer.Ordinal)] };
        var (caseId, code) = await cases.InsertAsync(tx, draft, contactId, conversationId, codes.Candidate, now, CaseStatus.Handoff);
        await cases.AddEventAsync(tx, caseId, "handoff", contactAddress, detail, now);
        if (simulated) await cases.AddFlagAsync(tx, caseId, CaseFlags.Simulated);
        return await routing.AlertOfficersAsync(tx, caseId, now, simulated, CaseMessages.HandoffAlert(code, where, routing.CaseUrl(code)));
    }

    /// <summary>A report the same citizen finished after all, about the same patient (same NIK, same name, or a
    /// handoff that never got as far as a name): the waiting handoff is closed, pointing at that case. A report about
    /// another patient leaves the promised call standing.</summary>
    public async Task SupersedeAsync(DbTransaction tx, long contactId, CaseDraft report, string code, long now)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (await cases.FindOpenHandoffAsync(tx, contactId) is not { } waiting) return;
        var samePatient = waiting.PatientName.Length == 0
            || (waiting.NikIndex is not null && waiting.NikIndex == report.Nik?.BlindIndex)
            || string.Equals(waiting.PatientName.Trim(), report.PatientName.Trim(), StringComparison.OrdinalIgnoreCase);
        if (!samePatient) return;
        // Only while it still waits: an officer who took it meanwhile keeps it.
        if (!await cases.CancelWaitingHandoffAsync(tx, waiting.Id, now)) return;
        await cases.AddEventAsync(tx, waiting.Id, "handoff_superseded", "system", code, now);
    }
}
