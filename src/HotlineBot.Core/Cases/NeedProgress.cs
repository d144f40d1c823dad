namespace HotlineBot.Core.Cases;

/// <summary>Where one need of a case stands, from the partners' answers to it.</summary>
public enum NeedState
{
    /// <summary>Partners asked, nobody has answered yet.</summary>
    Asked,
    /// <summary>A partner took it (TERIMA).</summary>
    Accepted,
    /// <summary>A partner who took it reported it handled (SELESAI).</summary>
    Done,
    /// <summary>Nobody asked or left to ask: every partner declined, or none serves it here (the officers were told).</summary>
    NobodyLeft,
}

/// <summary>One partner's assignment to one need, as the case's assignments table holds it.</summary>
public sealed record NeedAssignment(string Need, string PartnerId, string Status);

/// <summary>
/// Each need of a case has its own lifecycle: an ambulance handled does not mean food was brought. A case is
/// resolved by its partners only when every need is done or has nobody left to take it, and at least one was done.
/// </summary>
public static class NeedProgress
{
    /// <summary>The state of each need: the case's own, and any a partner was asked for besides (an officer's assignment).</summary>
    public static IReadOnlyDictionary<string, NeedState> Of(IEnumerable<string> needs, IEnumerable<NeedAssignment> assignments)
    {
        ArgumentNullException.ThrowIfNull(needs);
        ArgumentNullException.ThrowIfNull(assignments);
        var byNeed = assignments.ToLookup(a => a.Need, StringComparer.Ordinal);
        var states = new Dictionary<string, NeedState>(StringComparer.Ordinal);
        foreach (var need in needs.Concat(byNeed.Select(g => g.Key)).Distinct(StringComparer.Ordinal))
        {
            var statuses = byNeed[need].Select(a => a.Status).ToList();
            states[need] = statuses.Contains("done") ? NeedState.Done
                : statuses.Contains("accepted") ? NeedState.Accepted
                : statuses.Contains("notified") ? NeedState.Asked
                : NeedState.NobodyLeft;
        }
        return states;
    }

    /// <summary>The states once <paramref name="partnerId"/>'s SELESAI marks the needs it had taken as done.</summary>
    public static IReadOnlyDictionary<string, NeedState> AfterResolve(IEnumerable<string> needs, IReadOnlyList<NeedAssignment> assignments, string partnerId) =>
        Of(needs, assignments.Select(a => a.PartnerId == partnerId && a.Status == "accepted" ? a with { Status = "done" } : a).ToList());

    /// <summary>True when nothing is left for partners to do: every need done or with nobody left, one at least done.</summary>
    public static bool Settled(IReadOnlyDictionary<string, NeedState> states)
    {
        ArgumentNullException.ThrowIfNull(states);
        return states.Count > 0 && states.Values.All(s => s is NeedState.Done or NeedState.NobodyLeft) && states.Values.Any(s => s == NeedState.Done);
    }

    /// <summary>The needs in <paramref name="state"/>, in the case's order.</summary>
    public static IReadOnlyList<string> In(IReadOnlyDictionary<string, NeedState> states, NeedState state)
    {
        ArgumentNullException.ThrowIfNull(states);
        return states.Where(s => s.Value == state).Select(s => s.Key).ToList();
    }

    /// <summary>The needs not yet settled (asked or accepted), in the case's order.</summary>
    public static IReadOnlyList<string> Open(IReadOnlyDictionary<string, NeedState> states)
    {
        ArgumentNullException.ThrowIfNull(states);
        return states.Where(s => s.Value is NeedState.Asked or NeedState.Accepted).Select(s => s.Key).ToList();
    }
}
