using HotlineBot.Core.Commands;

namespace HotlineBot.Core.Cases;

/// <summary>Case statuses, in the order a case moves through them.</summary>
public static class CaseStatus
{
    public const string Handoff = "handoff";    // the citizen could not finish the report: waiting for an officer
    public const string New = "new";            // created, no partner could be asked
    public const string Routed = "routed";      // partners asked, nobody accepted yet
    public const string Accepted = "accepted";
    public const string Arrived = "arrived";
    public const string Referred = "referred";
    public const string Resolved = "resolved";
    public const string Cancelled = "cancelled";

    public static bool IsOpen(string status) => status is not (Resolved or Cancelled);
}

/// <summary>What a status code does to a case, decided from the case's status and the partner's assignment.</summary>
/// <param name="Allowed">False: explained to the partner, nothing changes.</param>
/// <param name="CaseStatus">The case's new status, or null when it stays.</param>
/// <param name="AssignmentStatus">The partner's assignments' new status on this case, or null when they stay.</param>
/// <param name="ReporterUpdate">Tell the reporter (TERIMA, TIBA, RUJUK, SELESAI).</param>
/// <param name="Reroute">Ask the next partners for the needs this partner declined.</param>
/// <param name="Why">The reason a command is refused: <c>not_assigned</c>, <c>not_accepted</c>, <c>closed</c>, <c>already</c>.</param>
public sealed record CaseDecision(bool Allowed, string? CaseStatus = null, string? AssignmentStatus = null,
    bool ReporterUpdate = false, bool Reroute = false, string? Why = null);

/// <summary>
/// The status-code transitions (DESIGN.md §3). Only partners asked about a case may change it; a closed case is
/// explained, not changed; TIBA, RUJUK and SELESAI need the partner to have accepted first.
/// </summary>
public static class CaseWorkflow
{
    private static readonly string[] Order = [CaseStatus.New, CaseStatus.Routed, CaseStatus.Accepted, CaseStatus.Arrived, CaseStatus.Referred, CaseStatus.Resolved];

    /// <param name="assignment">The partner's assignment status on the case (<c>notified</c>, <c>accepted</c>, ...), or null when never asked.</param>
    /// <param name="lastNeeds">For SELESAI: whether this partner's needs are the last ones open
    /// (<see cref="NeedProgress.Settled"/> after it). Only then is the case resolved; otherwise only those needs are.</param>
    public static CaseDecision Decide(string caseStatus, string? assignment, StatusAction action, bool lastNeeds = true)
    {
        if (assignment is null) return new CaseDecision(false, Why: "not_assigned");
        if (!CaseStatus.IsOpen(caseStatus)) return new CaseDecision(false, Why: "closed");
        return action switch
        {
            StatusAction.Info => new CaseDecision(true),
            StatusAction.Accept when assignment == "accepted" => new CaseDecision(false, Why: "already"),
            StatusAction.Accept when assignment == "notified" =>
                new CaseDecision(true, Later(caseStatus, CaseStatus.Accepted), "accepted", ReporterUpdate: true),
            StatusAction.Accept => new CaseDecision(false, Why: "not_assigned"),
            StatusAction.Decline when assignment == "notified" => new CaseDecision(true, AssignmentStatus: "declined", Reroute: true),
            StatusAction.Decline => new CaseDecision(false, Why: assignment == "accepted" ? "already" : "not_assigned"),
            _ when assignment == "done" => new CaseDecision(false, Why: "already"),     // their needs are handled; others' are not
            _ when assignment != "accepted" => new CaseDecision(false, Why: "not_accepted"),
            StatusAction.Arrive => Move(caseStatus, CaseStatus.Arrived),
            StatusAction.Refer => Move(caseStatus, CaseStatus.Referred),
            StatusAction.Resolve => new CaseDecision(true, lastNeeds ? CaseStatus.Resolved : null, "done", ReporterUpdate: true),
            _ => new CaseDecision(false, Why: "not_assigned"),
        };
    }

    // RUJUK after RUJUK (another facility) is news for the reporter; TIBA after RUJUK is not a step back.
    private static CaseDecision Move(string current, string next) =>
        next == CaseStatus.Referred || Rank(next) > Rank(current)
            ? new CaseDecision(true, Later(current, next), ReporterUpdate: true)
            : new CaseDecision(false, Why: "already");

    private static string? Later(string current, string next) => Rank(next) > Rank(current) ? next : null;

    private static int Rank(string status) => Array.IndexOf(Order, status);
}
