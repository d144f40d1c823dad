namespace HotlineBot.Jobs;

/// <summary>
/// The Hangfire queues, first served first. <see cref="NextInLine"/> holds a contact's next outbox message once the one
/// before it is done (<see cref="DeliverMessageJob"/>): during a flood every new message has a job in
/// <see cref="Default"/>, and a hand-over queued behind them all would move each busy contact (a partner, the officers'
/// phone) one message per pass through the whole queue. Hangfire.InMemory serves queues in the order given and
/// Hangfire.PostgreSql in alphabetical order: the names keep both orders the same.
/// </summary>
public static class JobQueues
{
    public const string NextInLine = "critical";
    public const string Default = "default";
    public static readonly IReadOnlyList<string> InOrder = [NextInLine, Default];
}
