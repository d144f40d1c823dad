namespace HotlineBot.Core.Cases;

/// <summary>The need keys of DESIGN.md §3 (a contract: partners files, flows and outside tools use them).</summary>
public static class NeedKeys
{
    public static readonly IReadOnlyList<string> All =
        ["ambulance", "hospital_costs", "insurance", "documents", "food", "shelter", "accompaniment", "post_care"];

    public static bool IsKnown(string key) => All.Contains(key);
}
