using HotlineBot.Core.Cases;

namespace HotlineBot.Core.Tests.Cases;

/// <summary>Each need of a case has its own lifecycle; the case is the partners' to close only when all are settled.</summary>
public sealed class NeedProgressTests
{
    public sealed record Case(string Label, string[] Needs, (string Need, string Partner, string Status)[] Assignments,
        string States, bool Settled, string? ResolvingPartner = null, bool SettledAfter = false)
    {
        public override string ToString() => Label;
    }

    private static readonly Case[] Cases =
    [
        new("one need, asked", ["ambulance"], [("ambulance", "pkm", "notified")], "ambulance=Asked", false),
        new("one need, taken, then SELESAI settles it", ["ambulance"], [("ambulance", "pkm", "accepted")], "ambulance=Accepted", false, "pkm", true),
        new("ambulance done, food still asked: not settled", ["ambulance", "food"],
            [("ambulance", "pkm", "done"), ("food", "baznas", "notified"), ("food", "relawan", "notified")], "ambulance=Done food=Asked", false),
        new("ambulance SELESAI while food is taken by another: not settled", ["ambulance", "food"],
            [("ambulance", "pkm", "accepted"), ("food", "baznas", "accepted")], "ambulance=Accepted food=Accepted", false, "pkm", false),
        new("the last partner's SELESAI settles it", ["ambulance", "food"],
            [("ambulance", "pkm", "done"), ("food", "baznas", "accepted"), ("food", "relawan", "released")], "ambulance=Done food=Accepted", false, "baznas", true),
        new("food declined by all, nobody left; ambulance done: settled", ["ambulance", "food"],
            [("ambulance", "pkm", "done"), ("food", "baznas", "declined"), ("food", "relawan", "declined")], "ambulance=Done food=NobodyLeft", true),
        new("nobody serves it here, nothing done yet: not settled", ["shelter"], [], "shelter=NobodyLeft", false),
        new("one partner asked for two needs: SELESAI settles both", ["ambulance", "accompaniment"],
            [("ambulance", "pkm", "accepted"), ("accompaniment", "pkm", "accepted")], "ambulance=Accepted accompaniment=Accepted", false, "pkm", true),
        new("a need an officer assigned besides the case's own counts", ["food"],
            [("food", "baznas", "done"), ("documents", "dinsos", "notified")], "food=Done documents=Asked", false),
    ];

    private static List<NeedAssignment> Rows(Case c) => c.Assignments.Select(a => new NeedAssignment(a.Need, a.Partner, a.Status)).ToList();

    [TestCaseSource(nameof(Cases))]
    public void Of(Case c)
    {
        var states = NeedProgress.Of(c.Needs, Rows(c));

        Assert.That(string.Join(' ', states.Select(s => $"{s.Key}={s.Value}")), Is.EqualTo(c.States));
        Assert.That(NeedProgress.Settled(states), Is.EqualTo(c.Settled));
        if (c.ResolvingPartner is { } partner)
            Assert.That(NeedProgress.Settled(NeedProgress.AfterResolve(c.Needs, Rows(c), partner)), Is.EqualTo(c.SettledAfter));
    }
}
