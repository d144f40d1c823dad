namespace HotlineBot.Configuration;

/// <summary><c>Routing:*</c>: how many partners are asked per need, and who the duty officers are.</summary>
public sealed class RoutingOptions
{
    public const string Section = "Routing";
    /// <summary>Partners asked at once for each need; the next ones when they decline or the SLA passes.</summary>
    public int FanOut { get; set; } = 2;
    /// <summary>Duty officers' phones (<c>+62…</c> or <c>whatsapp:+62…</c>): told when no partner fits or nobody answers.</summary>
    public List<string> OfficerContacts { get; set; } = [];
}

/// <summary><c>Sla:*</c> (DESIGN.md §3): how long a case may wait for each step before it is escalated.</summary>
public sealed class SlaOptions
{
    public const string Section = "Sla";
    public TimeSpan AcceptWithin { get; set; } = TimeSpan.FromMinutes(30);
    public TimeSpan ArriveWithin { get; set; } = TimeSpan.FromHours(2);
    public TimeSpan ResolveWithin { get; set; } = TimeSpan.FromDays(1);
}
