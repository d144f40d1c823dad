using System.Data.Common;
using HotlineBot.Core.Cases;
using HotlineBot.Core.Commands;
using HotlineBot.Core.Routing;
using HotlineBot.Storage;

namespace HotlineBot.Cases;

/// <summary>
/// A partner's status code, in the caller's transaction: finds the case it means (the partner's only open case when
/// the code leaves it out), takes the case's lock, and hands the code to the case engine (<see cref="CaseEffects"/>),
/// which decides who may do what (DESIGN.md §3) and what everyone is told. Returns the reply to the partner and the
/// outbox ids to enqueue after commit.
/// </summary>
public sealed class PartnerCommands(CaseStore cases, CaseEffects effects)
{
    /// <param name="fromSimulator">The code came from the simulator: it acts on simulated cases only, and a real
    /// phone's code never acts on a simulated case.</param>
    public async Task<(string Reply, List<QueuedMessage> Queued, long? CaseId)> ApplyAsync(DbTransaction tx, Partner partner, StatusCode command, long now, bool fromSimulator = false)
    {
        ArgumentNullException.ThrowIfNull(partner);
        ArgumentNullException.ThrowIfNull(command);
        var code = command.CaseCode;
        if (code is null)
        {
            var open = await cases.OpenCodesForPartnerAsync(tx, partner.Id);
            if (open.Count != 1) return (open.Count == 0 ? CaseMessages.PartnerNoOpenCase() : CaseMessages.PartnerWhichCase(), [], null);
            code = open[0];
        }
        // Decided under the case's lock: two partners' TERIMA for one need never both read it as still open.
        await cases.LockAsync(tx, code);
        if (await cases.FindStateAsync(tx, code) is not { } state || state.Simulated != fromSimulator)
            return (CaseMessages.PartnerUnknownCase(code), [], null);
        var (outcome, queued) = await effects.DecideAsync(tx, state, new PartnerCode(partner, command), now);
        return (outcome.Reply ?? "", queued, state.Id);
    }
}
