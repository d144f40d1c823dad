using System.Globalization;
using HotlineBot.Core.Cases;
using HotlineBot.Core.Commands;
using HotlineBot.Core.Routing;

namespace HotlineBot.Core.Tests.Cases;

/// <summary>
/// The case lifecycle as a table: a case, a command and the time in; whether it was applied, the status after, and
/// every effect in order out. The host applies these effects and nothing else, so this table is what a report, a
/// partner's code, an officer's action and a deadline do to a case.
/// </summary>
public sealed class CaseEngineTests
{
    private const long Now = 1_780_000_000_000;
    private static readonly CaseRules Rules = new(TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(24), FanOut: 2);

    // Kecamatan 33.02.19: the Puskesmas serves the ambulance there, the village volunteers and the zakat agency food.
    private static readonly Partner Pkm = new("pkm", "Puskesmas Kembaran", "puskesmas", "tel:+6281100000001", ["ambulance", "accompaniment"], ["33.02.19"], null, null);
    private static readonly Partner Relawan = new("relawan", "Relawan Desa", "volunteer", "tel:+6281100000002", ["food"], ["33.02"], null, null);
    private static readonly Partner Baznas = new("baznas", "BAZNAS", "zakat", "whatsapp:+6281100000003", ["food"], ["33"], null, null);
    private static readonly Partner[] Partners = [Pkm, Relawan, Baznas];

    private static CaseState Case(string status, string needs, params (Partner Partner, string Need, string Status)[] assignments) =>
        new(7, "4821", status, "Ibu Sumiati", "3302********0001", "nik-index", "RT 2 RW 3 Kembaran", "33.02.19", null,
            needs.Split(',', StringSplitOptions.RemoveEmptyEntries), [], "tel:+6281234567890", "id",
            assignments.Select(a => new CaseAssignment(a.Partner.Id, a.Need, a.Status, a.Partner.Contact, a.Partner.Name)).ToList(),
            new CaseDeadlines(status == "routed" ? Now - 1 : null, status == "accepted" ? Now + 1 : null, status is "accepted" or "routed" ? Now + 2 : null));

    private static CaseState Kept(string status) => Case(status, "food") with { Id = 8, Code = "5930" };

    private static PartnerCode Code(Partner partner, StatusAction action, string argument = "") => new(partner, new StatusCode(action, "4821", argument));

    public sealed record Row(string Label, CaseState Before, CaseCommand Command, bool Applied, string Status, string Effects)
    {
        public override string ToString() => Label;
    }

    private static readonly Row[] Table =
    [
        // a citizen's report
        new("a report is routed to the partners who serve its needs there, and the accept deadline starts",
            Case("new", "ambulance,food"), new ReportCase("tel:+6281234567890"), true, "routed",
            "event:created ask:pkm[ambulance] event:notified ask:relawan[food] event:notified ask:baznas[food] event:notified status:routed escalate:00:30:00"),
        new("a report nobody serves goes to the duty officers and waits for them, no deadline",
            Case("new", "shelter"), new ReportCase("tel:+6281234567890"), true, "new",
            "event:created flag:unrouted event:unrouted alert"),
        new("a second report about the patient joins the case: timeline and photos, nobody asked twice",
            Case("routed", "food", (Baznas, "food", "notified")), new SecondReport("tel:+6285700000000", "Sumiati; Kembaran; makanan", ["m1"]), true, "routed",
            "event:duplicate_report media"),

        // a citizen the bot could not help
        new("a handoff just stored alerts the officers", Case("handoff", ""), new CitizenStuck("tel:+6281234567890", "nik: NIK", "NIK", Opened: true), true, "handoff",
            "event:handoff alert"),
        new("stuck again on the same waiting handoff: only the timeline", Case("handoff", ""), new CitizenStuck("tel:+6281234567890", "nik: NIK", "NIK", Opened: false), true, "handoff",
            "event:handoff"),
        new("the citizen finished a report on the same patient: the waiting handoff closes", Case("handoff", ""),
            new ReportFinished("5930", "ibu sumiati ", null), true, "cancelled", "status:cancelled event:handoff_superseded"),
        new("a report on another patient leaves the promised call standing", Case("handoff", ""),
            new ReportFinished("5930", "Pak Darto", "other-index"), false, "handoff", ""),
        new("a handoff an officer took meanwhile is the officer's", Case("new", ""), new ReportFinished("5930", "Ibu Sumiati", null), false, "new", ""),

        // partners' codes
        new("TERIMA: taken, the others asked for the need released and told, the reporter told",
            Case("routed", "food", (Relawan, "food", "notified"), (Baznas, "food", "notified")), Code(Baznas, StatusAction.Accept), true, "accepted",
            "event:accept move:baznas:notified>accepted status:accepted escalate:02:00:00 escalate:1.00:00:00 move:relawan:notified>released tell-partner:relawan tell-reporter"),
        new("TERIMA from a partner never asked: refused and recorded",
            Case("routed", "food", (Baznas, "food", "notified")), Code(Relawan, StatusAction.Accept), false, "routed", "event:refused_accept"),
        new("TERIMA on a closed case: explained, not changed",
            Case("resolved", "food", (Baznas, "food", "done")), Code(Baznas, StatusAction.Accept), false, "resolved", "event:refused_accept"),
        new("TOLAK: the next partner is asked for the need",
            Case("routed", "food", (Baznas, "food", "notified")), Code(Baznas, StatusAction.Decline), true, "routed",
            "event:decline move:baznas:notified>declined ask:relawan[food] event:notified"),
        new("TOLAK with nobody left: the officers are told",
            Case("routed", "ambulance", (Pkm, "ambulance", "notified")), Code(Pkm, StatusAction.Decline), true, "routed",
            "event:decline move:pkm:notified>declined flag:unrouted event:unrouted alert"),
        new("TOLAK of the last open need with the others done: the case is settled and the reporter told what could not be done",
            Case("accepted", "ambulance,food", (Pkm, "ambulance", "done"), (Relawan, "food", "declined"), (Baznas, "food", "notified")), Code(Baznas, StatusAction.Decline), true, "resolved",
            "event:decline move:baznas:notified>declined flag:unrouted event:unrouted alert status:resolved event:resolve tell-reporter"),
        new("TIBA after TERIMA", Case("accepted", "ambulance", (Pkm, "ambulance", "accepted")), Code(Pkm, StatusAction.Arrive), true, "arrived",
            "event:arrive status:arrived tell-reporter"),
        new("RUJUK names the facility to the reporter", Case("arrived", "ambulance", (Pkm, "ambulance", "accepted")), Code(Pkm, StatusAction.Refer, "RSUD Banyumas"), true, "referred",
            "event:refer status:referred tell-reporter"),
        new("SELESAI of the last need resolves the case", Case("referred", "ambulance", (Pkm, "ambulance", "accepted")), Code(Pkm, StatusAction.Resolve), true, "resolved",
            "event:resolve move:pkm:accepted>done status:resolved tell-reporter"),
        new("SELESAI while another need is owed settles only that one",
            Case("accepted", "ambulance,food", (Pkm, "ambulance", "accepted"), (Baznas, "food", "accepted")), Code(Pkm, StatusAction.Resolve), true, "accepted",
            "event:resolve move:pkm:accepted>done tell-reporter"),
        new("INFO repeats the assignment and changes nothing", Case("routed", "food", (Baznas, "food", "notified")), Code(Baznas, StatusAction.Info), true, "routed", ""),

        // deadlines
        new("nobody accepted in time: the next partners are asked and the officers told",
            Case("routed", "food", (Baznas, "food", "notified")), new DeadlinePassed("accept"), true, "routed",
            "event:sla_accept_breached breach:accept ask:relawan[food] event:notified alert"),
        new("accepted but nobody arrived in time: the officers are told",
            Case("accepted", "ambulance", (Pkm, "ambulance", "accepted")), new DeadlinePassed("arrive"), true, "accepted",
            "event:sla_arrive_breached breach:arrive alert"),
        new("not resolved in time: the officers are told",
            Case("arrived", "ambulance", (Pkm, "ambulance", "accepted")), new DeadlinePassed("resolve"), true, "arrived",
            "event:sla_resolve_breached breach:resolve alert"),

        // officers
        new("an officer assigns a partner to a case nobody could take: the accept deadline starts",
            Case("new", "food"), new OfficerAssigns("ani", "relawan", Replace: false), true, "routed",
            "ask:relawan[food] event:assigned status:routed escalate:00:30:00"),
        new("an officer reassigns: the partner asked before is released and told",
            Case("routed", "food", (Baznas, "food", "notified")), new OfficerAssigns("ani", "relawan", Replace: true), true, "routed",
            "move:baznas:notified,accepted>released tell-partner:baznas ask:relawan[food] event:reassigned"),
        new("an officer assigns a partner that does not exist (or no longer active): refused",
            Case("new", "food"), new OfficerAssigns("ani", "nobody", Replace: false), false, "new", ""),
        new("an officer takes a waiting handoff", Case("handoff", ""), new OfficerTakesHandoff("ani"), true, "new", "status:new event:handoff_taken"),
        new("only a handoff can be taken", Case("routed", "food"), new OfficerTakesHandoff("ani"), false, "routed", ""),
        new("an officer sets accepted: the work deadlines start and the reporter is told",
            Case("routed", "food", (Baznas, "food", "notified")), new OfficerSetsStatus("ani", "accepted", "ditangani dinsos"), true, "accepted",
            "status:accepted escalate:02:00:00 escalate:1.00:00:00 event:accept tell-reporter"),
        new("an officer sets routed: the accept deadline starts again",
            Case("new", "food"), new OfficerSetsStatus("ani", "routed", ""), true, "routed", "status:routed escalate:00:30:00 event:status_routed"),
        new("an officer cancels: no reporter message", Case("routed", "food"), new OfficerSetsStatus("ani", "cancelled", "salah sambung"), true, "cancelled",
            "status:cancelled event:cancel"),
        new("the status it already has: refused", Case("routed", "food"), new OfficerSetsStatus("ani", "routed", ""), false, "routed", ""),
        new("a status officers may not set by hand: refused", Case("routed", "food"), new OfficerSetsStatus("ani", "handoff", ""), false, "routed", ""),
        new("an officer messages the reporter", Case("routed", "food"), new OfficerMessages("ani", "reporter", "Kami telepon sore ini"), true, "routed",
            "tell-reporter event:officer_message"),
        new("an officer messages a partner", Case("routed", "food"), new OfficerMessages("ani", "baznas", "Mohon dicek"), true, "routed",
            "tell-partner:baznas event:officer_message"),
        new("an empty message: refused", Case("routed", "food"), new OfficerMessages("ani", "reporter", "  "), false, "routed", ""),
        new("a message to nobody we know: refused", Case("routed", "food"), new OfficerMessages("ani", "+62811", "halo"), false, "routed", ""),
        new("a duplicate of an open case: closed, partners released, both cases linked",
            Case("routed", "food", (Baznas, "food", "notified")), new OfficerMarksDuplicate("ani", Kept("routed")), true, "cancelled",
            "duplicate-of:5930 flag:duplicate status:cancelled move:baznas:notified,accepted>released tell-partner:baznas event:duplicate_of other-event:8:duplicate_linked"),
        new("a duplicate of a closed case: refused", Case("routed", "food"), new OfficerMarksDuplicate("ani", Kept("resolved")), false, "routed", ""),
        new("a duplicate of itself: refused", Case("routed", "food"), new OfficerMarksDuplicate("ani", Case("routed", "food")), false, "routed", ""),
        new("a duplicate of a case that does not exist: refused", Case("routed", "food"), new OfficerMarksDuplicate("ani", null), false, "routed", ""),
    ];

    private static string Describe(CaseEffect effect) => effect switch
    {
        EventRecorded e => "event:" + e.Kind,
        OtherCaseEventRecorded e => string.Create(CultureInfo.InvariantCulture, $"other-event:{e.CaseId}:{e.Kind}"),
        StatusChanged s => "status:" + s.Status,
        EscalationDue d => "escalate:" + d.After.ToString("c", CultureInfo.InvariantCulture),
        PartnerAsked a => $"ask:{a.PartnerId}[{string.Join(',', a.Needs)}]",
        AssignmentsMoved m => $"move:{m.PartnerId}:{string.Join(',', m.From)}>{m.To}",
        PartnerTold t => "tell-partner:" + Partners.Single(p => p.Contact == t.Contact).Id,
        ReporterTold => "tell-reporter",
        OfficersAlerted => "alert",
        FlagAdded f => "flag:" + f.Flag,
        MediaAdded => "media",
        MarkedDuplicateOf d => "duplicate-of:" + d.Code,
        SlaBreached b => "breach:" + b.Deadline,
        _ => throw new ArgumentOutOfRangeException(nameof(effect), effect.GetType().Name, "Describe every effect"),
    };

    private static CaseOutcome Decide(CaseState state, CaseCommand command) => CaseEngine.Decide(state, command, new CaseContext(Now, Rules, Partners, "https://dinsos.example/kasus/4821"));

    [TestCaseSource(nameof(Table))]
    public void Transition(Row row)
    {
        var outcome = Decide(row.Before, row.Command);

        Assert.That(outcome.Applied, Is.EqualTo(row.Applied), "applied");
        Assert.That(outcome.State.Status, Is.EqualTo(row.Status), "status after");
        Assert.That(string.Join(' ', outcome.Effects.Select(Describe)), Is.EqualTo(row.Effects), "effects, in order");
    }

    [Test]
    public void Table_CoversEveryCommandAndEveryEffect()
    {
        var commands = typeof(CaseCommand).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(CaseCommand)) && !t.IsAbstract).ToList();
        var effects = typeof(CaseEffect).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(CaseEffect)) && !t.IsAbstract).ToList();
        var outcomes = Table.Select(r => Decide(r.Before, r.Command)).ToList();

        Assert.That(commands.Except(Table.Select(r => r.Command.GetType())), Is.Empty, "a command with no row in the table");
        Assert.That(effects.Except(outcomes.SelectMany(o => o.Effects).Select(e => e.GetType())), Is.Empty, "an effect no row shows");
    }

    [Test]
    public void StatusChanges_KeepOnlyTheDeadlinesOfTheNewStatus()
    {
        var taken = Decide(Case("routed", "food", (Baznas, "food", "notified")), Code(Baznas, StatusAction.Accept)).State.Deadlines;
        var closed = Decide(Case("accepted", "food", (Baznas, "food", "accepted")), new OfficerSetsStatus("ani", "cancelled", "")).State.Deadlines;
        var routed = Decide(Case("new", "food"), new ReportCase("tel:+6281234567890")).State.Deadlines;

        Assert.That(taken, Is.EqualTo(new CaseDeadlines(null, Now + 2 * 3_600_000, Now + 24 * 3_600_000)));
        Assert.That(closed, Is.EqualTo(new CaseDeadlines()));
        Assert.That(routed, Is.EqualTo(new CaseDeadlines(Now + 30 * 60_000)));
    }

    [Test]
    public void AStatusChange_CarriesTheDeadlinesItLeaves()
    {
        var outcome = Decide(Case("routed", "food", (Baznas, "food", "notified")), Code(Baznas, StatusAction.Accept));

        Assert.That(outcome.Effects.OfType<StatusChanged>().Single().Deadlines, Is.EqualTo(outcome.State.Deadlines));
    }

    [Test]
    public void ADeadlinePassed_IsNoLongerPending()
    {
        var outcome = Decide(Case("routed", "food", (Baznas, "food", "notified")), new DeadlinePassed("accept"));

        Assert.That(outcome.State.Deadlines.AcceptDueAt, Is.Null);
        Assert.That(outcome.State.Deadlines.ResolveDueAt, Is.EqualTo(Now + 2));
    }

    [Test]
    public void TheStateAfter_HoldsTheAssignmentsTheEffectsWrite()
    {
        var outcome = Decide(Case("routed", "food", (Relawan, "food", "notified"), (Baznas, "food", "notified")), Code(Baznas, StatusAction.Accept));

        Assert.That(outcome.State.Assignments.Select(a => $"{a.PartnerId}={a.Status}"), Is.EqualTo(new[] { "relawan=released", "baznas=accepted" }));
    }

    [Test]
    public void APartnerAskedAgainAfterDeclining_IsNotifiedAfresh_NotAddedTwice()
    {
        var outcome = Decide(Case("routed", "food", (Baznas, "food", "declined")), new OfficerAssigns("ani", "baznas", Replace: false));

        Assert.That(outcome.State.Assignments.Select(a => $"{a.PartnerId}={a.Status}"), Is.EqualTo(new[] { "baznas=notified" }));
    }

    [Test]
    public void Texts_SayWhatHappened()
    {
        var taken = Decide(Case("routed", "food", (Relawan, "food", "notified"), (Baznas, "food", "notified")), Code(Baznas, StatusAction.Accept));
        var english = Decide(Case("accepted", "ambulance", (Pkm, "ambulance", "accepted")) with { ReporterLanguage = "en" }, Code(Pkm, StatusAction.Arrive));
        var deadline = Decide(Case("routed", "food", (Baznas, "food", "notified")), new DeadlinePassed("accept"));

        Assert.That(taken.Reply, Is.EqualTo(CaseMessages.PartnerAcknowledged("4821", StatusAction.Accept)));
        Assert.That(taken.Effects.OfType<PartnerTold>().Single().Text, Is.EqualTo(CaseMessages.PartnerTaken("4821")));
        Assert.That(taken.Effects.OfType<ReporterTold>().Single().Text, Does.Contain("BAZNAS sudah menerima"));
        Assert.That(english.Effects.OfType<ReporterTold>().Single().Text, Does.StartWith("Report 4821"));
        Assert.That(deadline.Effects.OfType<OfficersAlerted>().Single().Text, Does.Contain("belum diterima mitra").And.Contain("https://dinsos.example/kasus/4821"));
        Assert.That(deadline.Effects.OfType<PartnerAsked>().Single().Text, Does.StartWith("KASUS 4821: Ibu Sumiati, NIK 3302********0001"));
    }

    [Test]
    public void AnOfficersNoteOrMessage_NeverCarriesANik()
    {
        const string nik = "3302014107850001";
        var note = Decide(Case("routed", "food"), new OfficerSetsStatus("ani", "accepted", $"NIK {nik} dicek"));
        var message = Decide(Case("routed", "food"), new OfficerMessages("ani", "reporter", $"nik pasien {nik}?"));

        var texts = note.Effects.Concat(message.Effects).Select(e => e.ToString()).ToList();
        Assert.That(texts, Has.None.Contains(nik));
        Assert.That(texts, Has.Some.Contains("3302********0001"));
    }

    [Test]
    public void Decide_IsPure_TheSameInputGivesTheSameOutcome()
    {
        var before = Case("routed", "food", (Relawan, "food", "notified"), (Baznas, "food", "notified"));

        var first = Decide(before, Code(Baznas, StatusAction.Accept));
        var second = Decide(before, Code(Baznas, StatusAction.Accept));

        Assert.That(second.Effects.Select(e => Describe(e) + e), Is.EqualTo(first.Effects.Select(e => Describe(e) + e)));
        Assert.That(before.Assignments.Select(a => a.Status), Is.EqualTo(new[] { "notified", "notified" }), "the state passed in is not changed");
    }
}
