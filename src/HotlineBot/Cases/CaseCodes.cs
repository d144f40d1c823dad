using HotlineBot.Core.Cases;

namespace HotlineBot.Cases;

/// <summary>The random source behind case codes; tests seed it so transcripts are repeatable.</summary>
public sealed class CaseCodes(Random random)
{
    private readonly Lock _gate = new();

    public string Candidate(int attempt)
    {
        lock (_gate) return CaseCode.Candidate(random, attempt);
    }
}
