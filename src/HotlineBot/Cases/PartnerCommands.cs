using System.Data.Common;
using HotlineBot.Configuration;
using HotlineBot.Core.Cases;
using HotlineBot.Core.Commands;
using HotlineBot.Core.Routing;
using HotlineBot.Storage;
using Microsoft.Extensions.Options;

namespace HotlineBot.Cases;

/// <summary>
/// A partner's status code applied to a case, in the caller's transaction: authorization (only partners asked about
/// the case), the transition (<see cref="CaseWorkflow"/>), the reporter's update, "already taken" notices to the other
/// partners asked for the same needs, and routing onwards after TOLAK. Returns the reply to the partner and the
/// outbox ids to enqueue after commit.
/// </summary>
public sealed class PartnerCommands(CaseStore cases, ContactStore contacts, CaseRouting routing, IOptions<SlaOptions> sla)
{
    /// <param name="fromSimulator">The code came from the simulator: it acts on simulated cases only, and a real
    /// phone's code never acts on a simulated case.</param>
    public async Task<(string Reply, List<long> Queued, long? CaseId)> ApplyAsync(DbTransaction tx, Partner partner, StatusCode command, long now, bool fromSimulator = false)
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
        if (await cases.FindSummaryAsync(tx, code) is not { } summary || summary.Simulated != fromSimulator)
            return (CaseMessages.PartnerUnknownCase(code), [], null);

        var before = await cases.AssignmentsAsync(tx, summary.Id);
        var mine = before.Where(a => a.PartnerId == partner.Id).ToList();
        var assignment = mine.Select(a => a.Status).OrderBy(s => s == "accepted" ? 0 : s == "notified" ? 1 : s == "done" ? 2 : 3).FirstOrDefault();
        // Each need has its own lifecycle: SELESAI closes the case only when no other need is still owed.
        var afterResolve = NeedProgress.AfterResolve(summary.NeedList, before.Select(a => new NeedAssignment(a.Need, a.PartnerId, a.Status)).ToList(), partner.Id);
        var decision = CaseWorkflow.Decide(summary.Status, assignment, command.Action, lastNeeds: NeedProgress.Settled(afterResolve));
        if (!decision.Allowed)
        {
            await cases.AddEventAsync(tx, summary.Id, "refused_" + command.Action.ToString().ToLowerInvariant(), partner.Id, decision.Why ?? "", now);
            return (CaseMessages.PartnerRefused(summary.Code, decision.Why ?? ""), [], summary.Id);
        }

        var queued = new List<long>();
        if (command.Action == StatusAction.Info)
        {
            var needs = mine.Where(a => a.Status is "notified" or "accepted").Select(a => a.Need).ToList();
            return (CaseMessages.PartnerNotification(summary.Code, summary.PatientName, summary.NikMasked, summary.Address, needs, summary.Urgent), queued, summary.Id);
        }

        await cases.AddEventAsync(tx, summary.Id, command.Action.ToString().ToLowerInvariant(), partner.Id, command.Argument, now);
        if (decision.AssignmentStatus is { } next)
            await cases.SetAssignmentsAsync(tx, summary.Id, partner.Id, next == "done" ? ["accepted"] : ["notified"], next, now);
        if (decision.CaseStatus is { } status)
        {
            long? arriveDue = status == CaseStatus.Accepted ? now + (long)sla.Value.ArriveWithin.TotalMilliseconds : null;
            long? resolveDue = status == CaseStatus.Accepted ? now + (long)sla.Value.ResolveWithin.TotalMilliseconds : null;
            await cases.SetStatusAsync(tx, summary.Id, status, now, arriveDueAt: arriveDue, resolveDueAt: resolveDue);
            if (status == CaseStatus.Accepted)
            {
                routing.ScheduleEscalation(tx, sla.Value.ArriveWithin);
                routing.ScheduleEscalation(tx, sla.Value.ResolveWithin);
            }
        }

        if (command.Action == StatusAction.Accept)
        {
            // The others asked for the same needs are told it is taken, so nobody drives out for nothing.
            var taken = mine.Where(a => a.Status == "notified").Select(a => a.Need).ToHashSet();
            var others = (await cases.AssignmentsAsync(tx, summary.Id))
                .Where(a => a.PartnerId != partner.Id && a.Status == "notified" && taken.Contains(a.Need)).GroupBy(a => a.PartnerId);
            foreach (var other in others)
            {
                await cases.SetAssignmentsAsync(tx, summary.Id, other.Key, ["notified"], "released", now);
                queued.Add(await routing.QueueAsync(tx, other.First().Contact, CaseMessages.PartnerTaken(summary.Code), now, "partner_notification", summary.Simulated, summary.Id));
            }
        }
        if (decision.Reroute)
        {
            var all = await cases.AssignmentsAsync(tx, summary.Id);
            var declined = mine.Where(a => a.Status == "notified").Select(a => a.Need)
                .Where(need => !all.Any(a => a.Need == need && a.Status is "notified" or "accepted")).ToList();
            if (declined.Count > 0)
                queued.AddRange(await routing.RouteAsync(tx, summary, declined, all.Select(a => (a.Need, a.PartnerId)).ToHashSet(), "ditolak mitra", now));
            // The last need still open was declined with nobody left to ask, and the others are done: the partners'
            // work is over. The reporter hears what was done and what could not be.
            var states = NeedProgress.Of(summary.NeedList, (await cases.AssignmentsAsync(tx, summary.Id)).Select(a => new NeedAssignment(a.Need, a.PartnerId, a.Status)));
            if (NeedProgress.Settled(states))
            {
                await cases.SetStatusAsync(tx, summary.Id, CaseStatus.Resolved, now);
                await cases.AddEventAsync(tx, summary.Id, "resolve", "system", "nobody_left: " + string.Join(',', NeedProgress.In(states, NeedState.NobodyLeft)), now);
                var reporter = await contacts.GetAsync(tx, summary.ReporterContactId);
                queued.Add(await routing.QueueAsync(tx, reporter.Address,
                    CaseMessages.ReporterSettled(summary.Code, NeedProgress.In(states, NeedState.Done), NeedProgress.In(states, NeedState.NobodyLeft), reporter.Language),
                    now, "reporter_update", summary.Simulated, summary.Id));
            }
        }
        if (decision.ReporterUpdate)
        {
            var reporter = await contacts.GetAsync(tx, summary.ReporterContactId);
            var newStatus = decision.CaseStatus ?? (command.Action == StatusAction.Refer ? CaseStatus.Referred : summary.Status);
            var states = NeedProgress.Of(summary.NeedList, (await cases.AssignmentsAsync(tx, summary.Id)).Select(a => new NeedAssignment(a.Need, a.PartnerId, a.Status)));
            // With several needs the reporter hears which ones this partner took or handled, and which are still open.
            var acted = mine.Where(a => a.Status == (command.Action == StatusAction.Accept ? "notified" : "accepted")).Select(a => a.Need).Distinct().ToList();
            var text = states.Count > 1 && command.Action is StatusAction.Accept or StatusAction.Resolve && acted.Count > 0
                ? CaseMessages.ReporterNeedsUpdate(summary.Code, partner.Name, acted,
                    command.Action == StatusAction.Accept ? NeedProgress.In(states, NeedState.Asked) : NeedProgress.Open(states), NeedProgress.In(states, NeedState.NobodyLeft),
                    command.Action == StatusAction.Resolve, reporter.Language)
                : CaseMessages.ReporterUpdate(summary.Code, newStatus, partner.Name, command.Argument.Length > 0 ? command.Argument : "fasilitas kesehatan", reporter.Language);
            queued.Add(await routing.QueueAsync(tx, reporter.Address, text, now, "reporter_update", summary.Simulated, summary.Id));
        }
        return (CaseMessages.PartnerAcknowledged(summary.Code, command.Action), queued, summary.Id);
    }
}
