using HotlineBot.Core.Cases;

namespace HotlineBot.Core.Tests.Cases;

public sealed class CaseCodeTests
{
    [Test]
    public void Candidate_FirstAttempts_AreFourDigitsWithoutLeadingZero()
    {
        var random = new Random(1);
        var codes = Enumerable.Range(0, 500).Select(_ => CaseCode.Candidate(random, 0)).ToList();

        Assert.That(codes, Has.All.Length.EqualTo(4));
        Assert.That(codes, Has.All.Matches<string>(CaseCode.IsWellFormed));
    }

    [TestCase(0, 4)]
    [TestCase(2, 4)]
    [TestCase(3, 5)]
    [TestCase(9, 7)]
    [TestCase(12, 8)]
    [TestCase(29, 8)]
    public void Candidate_LaterAttempts_GrowUpToEight(int attempt, int length) =>
        Assert.That(CaseCode.Candidate(new Random(2), attempt), Has.Length.EqualTo(length));

    [TestCase("4821", true)]
    [TestCase("0821", false)]
    [TestCase("482", false)]
    [TestCase("123456789", false)]
    [TestCase("48A1", false)]
    public void IsWellFormed(string code, bool expected) => Assert.That(CaseCode.IsWellFormed(code), Is.EqualTo(expected));
}
