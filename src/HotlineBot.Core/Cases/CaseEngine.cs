using HotlineBot.Core.Commands;
using HotlineBot.Core.Dialogs;
using HotlineBot.Core.Indonesia;
using HotlineBot.Core.Routing;

namespace HotlineBot.Core.Cases;

/// <summary>One partner asked about one need of a case, and where that stands (<c>notified</c>, <c>accepted</c>,
/// <c>done</c>, <c>declined</c>, <c>released</c>).</summary>
public sealed record CaseAssignment(string PartnerId, string Need, string Status, string Contact, string PartnerName);

/// <summary>The case's SLA deadlines (Unix ms), null where none runs.</summary>
public sealed record CaseDeadlines(long? AcceptDueAt = null, long? ArriveDueAt = null, long? ResolveDueAt = null);

/// <summary>What the case engine decides on: the case as stored, with its assignments and its reporter.</summary>
/// <param name="NikIndex">The NIK's blind index (never the NIK): whether a report is about the same patient.</param>
public sealed record CaseState(
    long Id, string Code, string Status, string PatientName, string? NikMasked, string? NikIndex, string Address,
    string? DistrictCode, GeoPoint? Position, IReadOnlyList<string> Needs, IReadOnlyList<string> Flags,
    string ReporterAddress, string ReporterLanguage, IReadOnlyList<CaseAssignment> Assignments, CaseDeadlines Deadlines)
{
    public bool Urgent => Flags.Contains("urgent");
    /// <summary>Reported through the simulator: everything it causes goes to simulated phones, never real ones.</summary>
    public bool Simulated => Flags.Contains("simulated");
}

/// <summary>The service's rules a decision depends on (<c>Sla:*</c>, <c>Routing:FanOut</c>).</summary>
public sealed record CaseRules(TimeSpan AcceptWithin, TimeSpan ArriveWithin, TimeSpan ResolveWithin, int FanOut);

/// <summary>Everything else a decision reads: the time, the rules, the active partners (for routing and officers'
/// choices), and the case's dashboard address for officers' messages.</summary>
public sealed record CaseContext(long Now, CaseRules Rules, IReadOnlyList<Partner> Partners, string? CaseUrl = null);

/// <summary>Something that happens to a case.</summary>
public abstract record CaseCommand;

/// <summary>A citizen's report was stored as a new case: ask partners.</summary>
public sealed record ReportCase(string Reporter) : CaseCommand;

/// <summary>Another report about the same patient joins this open case.</summary>
public sealed record SecondReport(string Reporter, string Summary, IReadOnlyList<string> Media) : CaseCommand;

/// <summary>A citizen was told an officer would call. <paramref name="Opened"/>: this handoff was just stored (the
/// officers are told); otherwise the citizen is stuck again on the same waiting handoff.</summary>
public sealed record CitizenStuck(string Citizen, string Detail, string Where, bool Opened) : CaseCommand;

/// <summary>The citizen finished a report after all (case <paramref name="ByCode"/>): a waiting handoff about the
/// same patient is no longer needed.</summary>
public sealed record ReportFinished(string ByCode, string PatientName, string? NikIndex) : CaseCommand;

/// <summary>A partner's status code (TERIMA, TIBA, RUJUK, SELESAI, TOLAK, INFO) on this case.</summary>
public sealed record PartnerCode(Partner Partner, StatusCode Code) : CaseCommand;

/// <summary>An SLA deadline (<c>accept</c>, <c>arrive</c>, <c>resolve</c>) passed and this run claimed it.</summary>
public sealed record DeadlinePassed(string Deadline) : CaseCommand;

/// <summary>An officer asks a partner to take the case; with <paramref name="Replace"/> the others are released.</summary>
public sealed record OfficerAssigns(string Officer, string PartnerId, bool Replace) : CaseCommand;

/// <summary>An officer takes a waiting handoff.</summary>
public sealed record OfficerTakesHandoff(string Officer) : CaseCommand;

/// <summary>An officer sets the status by hand, with a note.</summary>
public sealed record OfficerSetsStatus(string Officer, string Status, string Note) : CaseCommand;

/// <summary>An officer's free message to the reporter (<paramref name="To"/> = <c>reporter</c>) or a partner (its id).</summary>
public sealed record OfficerMessages(string Officer, string To, string Text) : CaseCommand;

/// <summary>An officer closes this case as a second report of <paramref name="Kept"/> (null: no such case).</summary>
public sealed record OfficerMarksDuplicate(string Officer, CaseState? Kept) : CaseCommand;

/// <summary>What a decision causes, in order; the host's one applier turns each into rows and jobs.</summary>
public abstract record CaseEffect;

/// <summary>A case event (the timeline); its detail is NIK-redacted when stored.</summary>
public sealed record EventRecorded(string Kind, string Actor, string Detail) : CaseEffect;

/// <summary>An event on another case (the kept case of a duplicate).</summary>
public sealed record OtherCaseEventRecorded(long CaseId, string Kind, string Actor, string Detail) : CaseEffect;

/// <summary>The case's status and the deadlines that run from now on, exactly.</summary>
public sealed record StatusChanged(string Status, CaseDeadlines Deadlines) : CaseEffect;

/// <summary>The escalation job should run once this long from now (a deadline was set).</summary>
public sealed record EscalationDue(TimeSpan After) : CaseEffect;

/// <summary>A partner is asked for these needs (assignments <c>notified</c>) and sent <paramref name="Text"/>.</summary>
public sealed record PartnerAsked(string PartnerId, string Contact, IReadOnlyList<string> Needs, string Text) : CaseEffect;

/// <summary>A partner's assignments on this case in one of <paramref name="From"/> move to <paramref name="To"/>.</summary>
public sealed record AssignmentsMoved(string PartnerId, IReadOnlyList<string> From, string To) : CaseEffect;

/// <summary>A message to a partner's contact.</summary>
public sealed record PartnerTold(string Contact, string Text) : CaseEffect;

/// <summary>A message to the case's reporter.</summary>
public sealed record ReporterTold(string Text) : CaseEffect;

/// <summary>The same message to every duty officer's phone.</summary>
public sealed record OfficersAlerted(string Text) : CaseEffect;

public sealed record FlagAdded(string Flag) : CaseEffect;

/// <summary>Photos or documents from a second report, merged into the case's.</summary>
public sealed record MediaAdded(IReadOnlyList<string> Media) : CaseEffect;

public sealed record MarkedDuplicateOf(string Code) : CaseEffect;

/// <summary>An SLA deadline was breached (counted by the metrics).</summary>
public sealed record SlaBreached(string Deadline) : CaseEffect;

/// <summary>The decision: the case afterwards, what that causes, and the answer for whoever acted.</summary>
/// <param name="Applied">False when the command was refused (the effects then only record the refusal, if anything).</param>
/// <param name="Reply">The text for a partner who sent a code; null for other commands.</param>
public sealed record CaseOutcome(CaseState State, IReadOnlyList<CaseEffect> Effects, bool Applied, string? Reply = null);

/// <summary>
/// The case lifecycle (DESIGN.md §3), pure like the dialog engine: a case, a command and the time in, the new case and
/// its effects out. Nothing here reads or writes storage; the host locks the case, loads it, calls
/// <see cref="Decide"/> and applies the effects in the same transaction. Every path that changes a case — a report,
/// a partner's code, an officer's action, a deadline — goes through here, so each rule is written once. The one
/// write before it is the escalation job's claim of a passed deadline (once across instances), which
/// <see cref="DeadlinePassed"/> mirrors in the state.
/// </summary>
public static class CaseEngine
{
    /// <summary>Statuses an officer may set by hand, in case order.</summary>
    public static readonly IReadOnlyList<string> SettableStatuses =
        [CaseStatus.Routed, CaseStatus.Accepted, CaseStatus.Arrived, CaseStatus.Referred, CaseStatus.Resolved, CaseStatus.Cancelled];

    public static string OfficerActor(string username) => "officer:" + username;

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

    public static CaseOutcome Decide(CaseState state, CaseCommand command, CaseContext context)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(context);
        var t = new Transition(state, context);
        return command switch
        {
            ReportCase report => t.Report(report),
            SecondReport second => t.Joined(second),
            CitizenStuck stuck => t.Stuck(stuck),
            ReportFinished finished => t.Finished(finished),
            PartnerCode code => t.Partner(code.Partner, code.Code),
            DeadlinePassed deadline => t.Deadline(deadline.Deadline),
            OfficerAssigns assign => t.Assign(assign),
            OfficerTakesHandoff take => t.TakeHandoff(take),
            OfficerSetsStatus set => t.SetStatusByHand(set),
            OfficerMessages message => t.Message(message),
            OfficerMarksDuplicate duplicate => t.MarkDuplicate(duplicate),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "No rule for this command."),
        };
    }

    /// <summary>One decision in progress: the case as it changes, and the effects so far.</summary>
    private sealed class Transition(CaseState initial, CaseContext context)
    {
        private readonly CaseState before = initial;
        private readonly List<CaseEffect> effects = [];
        private CaseState state = initial;
        private long Now => context.Now;
        private CaseRules Rules => context.Rules;

        private CaseOutcome Done(string? reply = null) => new(state, effects, true, reply);

        private CaseOutcome Refused(string? reply = null) => new(state, effects, false, reply);

        private void Add(CaseEffect effect) => effects.Add(effect);

        private void Record(string kind, string actor, string detail) => Add(new EventRecorded(kind, actor, detail));

        // The same rules as the cases table: a deadline runs only in the statuses it belongs to.
        private void SetStatus(string status, long? acceptDueAt = null, long? arriveDueAt = null, long? resolveDueAt = null)
        {
            var d = state.Deadlines;
            var deadlines = new CaseDeadlines(
                status is CaseStatus.New or CaseStatus.Routed ? acceptDueAt ?? d.AcceptDueAt : null,
                status == CaseStatus.Accepted ? arriveDueAt ?? d.ArriveDueAt : null,
                status is CaseStatus.Resolved or CaseStatus.Cancelled ? null : resolveDueAt ?? d.ResolveDueAt);
            state = state with { Status = status, Deadlines = deadlines };
            Add(new StatusChanged(status, deadlines));
        }

        private long Due(TimeSpan within) => Now + (long)within.TotalMilliseconds;

        /// <summary>The case waits for a partner from now on: routed, with its accept deadline and escalation.</summary>
        private void StartAcceptDeadline()
        {
            SetStatus(CaseStatus.Routed, acceptDueAt: Due(Rules.AcceptWithin));
            Add(new EscalationDue(Rules.AcceptWithin));
        }

        private void StartWorkDeadlines(string status, long? acceptDueAt = null)
        {
            var accepted = status == CaseStatus.Accepted;
            SetStatus(status, acceptDueAt, accepted ? Due(Rules.ArriveWithin) : null, accepted ? Due(Rules.ResolveWithin) : null);
            if (acceptDueAt is not null) Add(new EscalationDue(Rules.AcceptWithin));
            if (accepted)
            {
                Add(new EscalationDue(Rules.ArriveWithin));
                Add(new EscalationDue(Rules.ResolveWithin));
            }
        }

        private void AddFlag(string flag)
        {
            if (!state.Flags.Contains(flag)) state = state with { Flags = [.. state.Flags, flag] };
            Add(new FlagAdded(flag));
        }

        /// <summary>Asks a partner for needs: a new assignment, or one declined or released before asked afresh.</summary>
        private void Ask(Partner partner, IReadOnlyList<string> needs)
        {
            var assignments = state.Assignments.ToList();
            foreach (var need in needs)
            {
                var at = assignments.FindIndex(a => a.PartnerId == partner.Id && a.Need == need);
                if (at < 0) assignments.Add(new CaseAssignment(partner.Id, need, "notified", partner.Contact, partner.Name));
                else if (assignments[at].Status is "declined" or "released") assignments[at] = assignments[at] with { Status = "notified" };
            }
            state = state with { Assignments = assignments };
            Add(new PartnerAsked(partner.Id, partner.Contact, needs,
                CaseMessages.PartnerNotification(state.Code, state.PatientName, state.NikMasked, state.Address, needs, state.Urgent)));
        }

        private void Move(string partnerId, IReadOnlyList<string> from, string to)
        {
            state = state with
            {
                Assignments = state.Assignments.Select(a => a.PartnerId == partnerId && from.Contains(a.Status) ? a with { Status = to } : a).ToList(),
            };
            Add(new AssignmentsMoved(partnerId, from, to));
        }

        /// <summary>Partners still asked or working are released and told why (<paramref name="told"/>: the case's code to
        /// the text), so nobody drives out for nothing.</summary>
        private void ReleaseOthers(string? keep, Func<string, string> told)
        {
            foreach (var other in state.Assignments.Where(a => a.PartnerId != keep && a.Status is "notified" or "accepted").GroupBy(a => a.PartnerId).ToList())
            {
                Move(other.Key, ["notified", "accepted"], "released");
                Add(new PartnerTold(other.First().Contact, told(state.Code)));
            }
        }

        /// <summary>A case an officer closed: partners still asked are released, and every partner still on it is told
        /// (one who accepted keeps their answer, for the reports).</summary>
        private void TellPartnersClosed()
        {
            foreach (var other in state.Assignments.Where(a => a.Status is "notified" or "accepted").GroupBy(a => a.PartnerId).ToList())
            {
                if (other.Any(a => a.Status == "notified")) Move(other.Key, ["notified"], "released");
                Add(new PartnerTold(other.First().Contact, CaseMessages.PartnerClosed(state.Code)));
            }
        }

        private IReadOnlyDictionary<string, NeedState> Needs() =>
            NeedProgress.Of(state.Needs, state.Assignments.Select(a => new NeedAssignment(a.Need, a.PartnerId, a.Status)));

        /// <summary>Picks partners (<see cref="Router"/>) for the needs, never one already asked for a need; needs
        /// nobody can take are flagged and, unless the caller tells them itself, sent to the duty officers.</summary>
        private void Route(IReadOnlyList<string> needs, string reason, bool alertOfficers = true)
        {
            var exclude = state.Assignments.Select(a => (a.Need, a.PartnerId)).ToHashSet();
            var picks = Router.Pick(new RoutingRequest(state.DistrictCode, state.Position, needs), context.Partners, Rules.FanOut, exclude);
            foreach (var group in picks.Values.SelectMany(c => c).GroupBy(c => c.Partner.Id, StringComparer.Ordinal))
            {
                var partner = group.First().Partner;
                var partnerNeeds = group.Select(c => c.Need).ToList();
                Ask(partner, partnerNeeds);
                Record("notified", "system", $"{partner.Id}: {string.Join(',', partnerNeeds)}");
            }
            var nobody = picks.Where(p => p.Value.Count == 0).Select(p => p.Key).ToList();
            if (nobody.Count > 0)
            {
                AddFlag("unrouted");
                Record("unrouted", "system", $"{reason}: {string.Join(',', nobody)}");
                if (alertOfficers) Add(new OfficersAlerted(CaseMessages.OfficerAlert(state.Code, nobody, reason, context.CaseUrl)));
            }
            // The accept deadline starts once, when partners are first asked; after a breach the duty officers own the case.
            if (state.Status == CaseStatus.New && picks.Values.Any(c => c.Count > 0)) StartAcceptDeadline();
        }

        public CaseOutcome Report(ReportCase report)
        {
            Record("created", report.Reporter, "");
            Route(state.Needs, "tidak ada mitra");
            return Done();
        }

        /// <summary>The second report is on the case's timeline and its photos join the case's; partners are not asked twice.</summary>
        public CaseOutcome Joined(SecondReport second)
        {
            Record("duplicate_report", second.Reporter, second.Summary);
            Add(new MediaAdded(second.Media));
            return Done();
        }

        public CaseOutcome Stuck(CitizenStuck stuck)
        {
            Record("handoff", stuck.Citizen, stuck.Detail);
            if (stuck.Opened) Add(new OfficersAlerted(CaseMessages.HandoffAlert(state.Code, stuck.Where, context.CaseUrl)));
            return Done();
        }

        /// <summary>Same patient: same NIK, same name, or a handoff that never got as far as a name. Only while it
        /// still waits: an officer who took it meanwhile keeps it. A report about another patient leaves it standing.</summary>
        public CaseOutcome Finished(ReportFinished finished)
        {
            var samePatient = state.PatientName.Length == 0
                || (state.NikIndex is not null && state.NikIndex == finished.NikIndex)
                || string.Equals(state.PatientName.Trim(), finished.PatientName.Trim(), StringComparison.OrdinalIgnoreCase);
            if (!samePatient || state.Status != CaseStatus.Handoff) return Refused();
            SetStatus(CaseStatus.Cancelled);
            Record("handoff_superseded", "system", finished.ByCode);
            return Done();
        }

        public CaseOutcome Partner(Partner partner, StatusCode command)
        {
            var mine = before.Assignments.Where(a => a.PartnerId == partner.Id).ToList();
            var assignment = mine.Select(a => a.Status).OrderBy(s => s == "accepted" ? 0 : s == "notified" ? 1 : s == "done" ? 2 : 3).FirstOrDefault();
            // Each need has its own lifecycle: SELESAI closes the case only when no other need is still owed.
            var afterResolve = NeedProgress.AfterResolve(state.Needs, before.Assignments.Select(a => new NeedAssignment(a.Need, a.PartnerId, a.Status)).ToList(), partner.Id);
            var decision = CaseWorkflow.Decide(state.Status, assignment, command.Action, lastNeeds: NeedProgress.Settled(afterResolve));
            if (!decision.Allowed)
            {
                Record("refused_" + command.Action.ToString().ToLowerInvariant(), partner.Id, decision.Why ?? "");
                return Refused(CaseMessages.PartnerRefused(state.Code, decision.Why ?? ""));
            }
            if (command.Action == StatusAction.Info)
            {
                var asked = mine.Where(a => a.Status is "notified" or "accepted").Select(a => a.Need).ToList();
                return Done(CaseMessages.PartnerNotification(state.Code, state.PatientName, state.NikMasked, state.Address, asked, state.Urgent));
            }

            Record(command.Action.ToString().ToLowerInvariant(), partner.Id, command.Argument);
            if (decision.AssignmentStatus is { } next) Move(partner.Id, next == "done" ? ["accepted"] : ["notified"], next);
            if (decision.CaseStatus is { } status) StartWorkDeadlines(status);

            if (command.Action == StatusAction.Accept)
            {
                // The others asked for the same needs are told it is taken, so nobody drives out for nothing.
                var taken = mine.Where(a => a.Status == "notified").Select(a => a.Need).ToHashSet();
                foreach (var other in state.Assignments.Where(a => a.PartnerId != partner.Id && a.Status == "notified" && taken.Contains(a.Need)).GroupBy(a => a.PartnerId).ToList())
                {
                    Move(other.Key, ["notified"], "released");
                    Add(new PartnerTold(other.First().Contact, CaseMessages.PartnerTaken(state.Code)));
                }
            }
            if (decision.Reroute)
            {
                var declined = mine.Where(a => a.Status == "notified").Select(a => a.Need)
                    .Where(need => !state.Assignments.Any(a => a.Need == need && a.Status is "notified" or "accepted")).ToList();
                if (declined.Count > 0) Route(declined, "ditolak mitra");
                // The last need still open was declined with nobody left to ask, and the others are done: the partners'
                // work is over. The reporter hears what was done and what could not be.
                var needs = Needs();
                if (NeedProgress.Settled(needs))
                {
                    SetStatus(CaseStatus.Resolved);
                    Record("resolve", "system", "nobody_left: " + string.Join(',', NeedProgress.In(needs, NeedState.NobodyLeft)));
                    Add(new ReporterTold(CaseMessages.ReporterSettled(state.Code, NeedProgress.In(needs, NeedState.Done), NeedProgress.In(needs, NeedState.NobodyLeft), state.ReporterLanguage)));
                }
            }
            if (decision.ReporterUpdate)
            {
                var newStatus = decision.CaseStatus ?? (command.Action == StatusAction.Refer ? CaseStatus.Referred : before.Status);
                var needs = Needs();
                // With several needs the reporter hears which ones this partner took or handled, and which are still open.
                var acted = mine.Where(a => a.Status == (command.Action == StatusAction.Accept ? "notified" : "accepted")).Select(a => a.Need).Distinct().ToList();
                var text = needs.Count > 1 && command.Action is StatusAction.Accept or StatusAction.Resolve && acted.Count > 0
                    ? CaseMessages.ReporterNeedsUpdate(state.Code, partner.Name, acted,
                        command.Action == StatusAction.Accept ? NeedProgress.In(needs, NeedState.Asked) : NeedProgress.Open(needs), NeedProgress.In(needs, NeedState.NobodyLeft),
                        command.Action == StatusAction.Resolve, state.ReporterLanguage)
                    : CaseMessages.ReporterUpdate(state.Code, newStatus, partner.Name, command.Argument.Length > 0 ? command.Argument : "fasilitas kesehatan", state.ReporterLanguage);
                Add(new ReporterTold(text));
            }
            return Done(CaseMessages.PartnerAcknowledged(state.Code, command.Action));
        }

        /// <summary>A case nobody accepted in time is offered to the next partners and the officers are told; one
        /// accepted but not reached, or not resolved, in time goes to the officers. The deadline itself was cleared by
        /// the claim that brought this command (once across instances).</summary>
        public CaseOutcome Deadline(string deadline)
        {
            state = state with
            {
                Deadlines = deadline switch
                {
                    "accept" => state.Deadlines with { AcceptDueAt = null },
                    "arrive" => state.Deadlines with { ArriveDueAt = null },
                    _ => state.Deadlines with { ResolveDueAt = null },
                },
            };
            Record($"sla_{deadline}_breached", "system", "");
            Add(new SlaBreached(deadline));
            var open = state.Needs.Where(n => !state.Assignments.Any(a => a.Need == n && a.Status is "accepted" or "done")).ToList();
            if (deadline == "accept" && open.Count > 0) Route(open, "belum diterima", alertOfficers: false);
            var reason = deadline switch { "accept" => "belum diterima mitra", "arrive" => "mitra belum tiba", _ => "belum selesai" };
            Add(new OfficersAlerted(CaseMessages.OfficerAlert(state.Code, deadline == "accept" ? open : state.Needs, reason, context.CaseUrl)));
            return Done();
        }

        public CaseOutcome Assign(OfficerAssigns assign)
        {
            if (context.Partners.FirstOrDefault(p => p.Id == assign.PartnerId && p.Active) is not { } partner) return Refused();
            if (assign.Replace) ReleaseOthers(keep: partner.Id, CaseMessages.PartnerReassigned);
            var needs = state.Needs.Where(partner.Serves.Contains).ToList() is { Count: > 0 } served ? served : state.Needs.ToList();
            if (needs.Count == 0) needs = ["accompaniment"];
            Ask(partner, needs);
            Record(assign.Replace ? "reassigned" : "assigned", OfficerActor(assign.Officer), $"{partner.Id}: {string.Join(',', needs)}");
            if (state.Status == CaseStatus.New) StartAcceptDeadline();
            return Done();
        }

        public CaseOutcome TakeHandoff(OfficerTakesHandoff take)
        {
            if (state.Status != CaseStatus.Handoff) return Refused();
            SetStatus(CaseStatus.New);
            Record("handoff_taken", OfficerActor(take.Officer), "");
            return Done();
        }

        /// <summary>Each deadline set here is escalated on time, as when routing or a partner's TERIMA set it; the
        /// reporter hears of progress as they would from a partner.</summary>
        public CaseOutcome SetStatusByHand(OfficerSetsStatus set)
        {
            if (!SettableStatuses.Contains(set.Status) || set.Status == state.Status) return Refused();
            var note = set.Note.Trim();
            StartWorkDeadlines(set.Status, set.Status == CaseStatus.Routed ? Due(Rules.AcceptWithin) : null);
            Record(EventKind(set.Status), OfficerActor(set.Officer), NikRedactor.Redact(note));
            if (set.Status is CaseStatus.Accepted or CaseStatus.Arrived or CaseStatus.Referred or CaseStatus.Resolved)
                Add(new ReporterTold(CaseMessages.ReporterUpdate(state.Code, set.Status, "Petugas Dinsos", note.Length > 0 ? note : "fasilitas kesehatan", state.ReporterLanguage)));
            if (!CaseStatus.IsOpen(set.Status)) TellPartnersClosed();
            return Done();
        }

        public CaseOutcome Message(OfficerMessages message)
        {
            var body = NikRedactor.Redact(message.Text.Trim());
            if (body.Length == 0) return Refused();
            if (message.To == "reporter") Add(new ReporterTold(body));
            else if (context.Partners.FirstOrDefault(p => p.Id == message.To && p.Active) is { } partner) Add(new PartnerTold(partner.Contact, body));
            else return Refused();
            Record("officer_message", OfficerActor(message.Officer), $"{message.To}: {body}");
            return Done();
        }

        public CaseOutcome MarkDuplicate(OfficerMarksDuplicate duplicate)
        {
            if (duplicate.Kept is not { } kept || kept.Id == state.Id || !CaseStatus.IsOpen(kept.Status)) return Refused();
            var actor = OfficerActor(duplicate.Officer);
            Add(new MarkedDuplicateOf(kept.Code));
            AddFlag("duplicate");
            SetStatus(CaseStatus.Cancelled);
            ReleaseOthers(keep: null, CaseMessages.PartnerClosed);
            Record("duplicate_of", actor, kept.Code);
            Add(new OtherCaseEventRecorded(kept.Id, "duplicate_linked", actor, state.Code));
            return Done();
        }
    }
}
