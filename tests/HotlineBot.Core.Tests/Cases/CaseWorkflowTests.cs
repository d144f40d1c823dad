using HotlineBot.Core.Cases;
using HotlineBot.Core.Commands;

namespace HotlineBot.Core.Tests.Cases;

public sealed class CaseWorkflowTests
{
    public sealed record Case(string Label, string CaseStatus, string? Assignment, StatusAction Action, bool Allowed,
        string? NewStatus = null, string? Why = null, bool Reporter = false, bool Reroute = false)
    {
        public override string ToString() => Label;
    }

    private static readonly Case[] Cases =
    [
        // authorization
        new("never asked: refused", "routed", null, StatusAction.Accept, false, Why: "not_assigned"),
        new("never asked, even INFO", "routed", null, StatusAction.Info, false, Why: "not_assigned"),
        new("declined earlier, then TERIMA: refused", "routed", "declined", StatusAction.Accept, false, Why: "not_assigned"),
        new("released (someone else took it), then TERIMA", "accepted", "released", StatusAction.Accept, false, Why: "not_assigned"),
        // transitions
        new("TERIMA when asked", "routed", "notified", StatusAction.Accept, true, "accepted", Reporter: true),
        new("TERIMA of a second need while the case is already accepted", "accepted", "notified", StatusAction.Accept, true, null, Reporter: true),
        new("TERIMA twice", "accepted", "accepted", StatusAction.Accept, false, Why: "already"),
        new("TIBA before TERIMA", "routed", "notified", StatusAction.Arrive, false, Why: "not_accepted"),
        new("TIBA after TERIMA", "accepted", "accepted", StatusAction.Arrive, true, "arrived", Reporter: true),
        new("TIBA twice", "arrived", "accepted", StatusAction.Arrive, false, Why: "already"),
        new("RUJUK after TIBA", "arrived", "accepted", StatusAction.Refer, true, "referred", Reporter: true),
        new("RUJUK straight after TERIMA", "accepted", "accepted", StatusAction.Refer, true, "referred", Reporter: true),
        new("a second RUJUK (another facility) is news", "referred", "accepted", StatusAction.Refer, true, null, Reporter: true),
        new("TIBA after RUJUK is not a step back", "referred", "accepted", StatusAction.Arrive, false, Why: "already"),
        new("SELESAI after RUJUK", "referred", "accepted", StatusAction.Resolve, true, "resolved", Reporter: true),
        new("SELESAI before TERIMA", "routed", "notified", StatusAction.Resolve, false, Why: "not_accepted"),
        new("SELESAI twice, while another need is still owed", "accepted", "done", StatusAction.Resolve, false, Why: "already"),
        new("SELESAI on a closed case is explained", "resolved", "done", StatusAction.Resolve, false, Why: "closed"),
        new("anything on a cancelled case", "cancelled", "accepted", StatusAction.Arrive, false, Why: "closed"),
        new("TOLAK when asked: routed onwards, reporter not told", "routed", "notified", StatusAction.Decline, true, null, Reroute: true),
        new("TOLAK after TERIMA", "accepted", "accepted", StatusAction.Decline, false, Why: "already"),
        new("INFO when asked", "routed", "notified", StatusAction.Info, true),
    ];

    [Test]
    public void Decide_SelesaiWhileAnotherNeedIsOwed_ResolvesOnlyThePartnersNeeds()
    {
        var decision = CaseWorkflow.Decide("accepted", "accepted", StatusAction.Resolve, lastNeeds: false);

        Assert.That((decision.Allowed, decision.CaseStatus, decision.AssignmentStatus, decision.ReporterUpdate), Is.EqualTo((true, (string?)null, "done", true)));
    }

    [TestCaseSource(nameof(Cases))]
    public void Decide(Case c)
    {
        var decision = CaseWorkflow.Decide(c.CaseStatus, c.Assignment, c.Action);

        Assert.That(decision.Allowed, Is.EqualTo(c.Allowed));
        Assert.That(decision.CaseStatus, Is.EqualTo(c.NewStatus));
        Assert.That(decision.Why, Is.EqualTo(c.Why));
        Assert.That(decision.ReporterUpdate, Is.EqualTo(c.Reporter));
        Assert.That(decision.Reroute, Is.EqualTo(c.Reroute));
    }

    [Test]
    public void PartnerNotification_FitsOneSmsForATypicalCase()
    {
        var text = CaseMessages.PartnerNotification("4821", "Siti Aminah", "3273********0009", "Ds Karangrau RT 2/3 Kec Sokaraja", ["ambulance"], urgent: false);

        Assert.That(HotlineBot.Core.Sms.SmsSegments.Count(text), Is.EqualTo(1), text);
    }
}
