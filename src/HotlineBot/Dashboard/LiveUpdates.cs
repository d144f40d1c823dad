namespace HotlineBot.Dashboard;

/// <summary>
/// Tells open dashboard pages that something they show may have changed (a message in, a case created or moved, an
/// outbox row sent), so they re-read the database without a reload. Cheap when nobody listens: one null check on the
/// webhook path. On PostgreSQL, <see cref="PostgresLiveUpdates"/> relays the signal to the other instances (and theirs
/// to this one); the pages also re-read on a timer.
/// </summary>
public sealed partial class LiveUpdates(ILogger<LiveUpdates> logger)
{
    private readonly Lock _gate = new();
    private Action? _changed;

    /// <summary>Raised on the thread of whoever published, right after its commit: a listener only takes note and returns
    /// (a page schedules its own refresh, <see cref="LiveRefresh"/>), so a webhook never waits on a page.</summary>
    public event Action? Changed
    {
        add
        {
            lock (_gate)
            {
                _changed += value;
                Subscribed++;
            }
        }
        remove
        {
            lock (_gate) _changed -= value;
        }
    }

    /// <summary>How many times a listener was added since start (for tests: a page rendered for the first response
    /// never listens).</summary>
    internal long Subscribed { get; private set; }

    /// <summary>Passes the signal on to the other instances (set on PostgreSQL); null in one process.</summary>
    public Action? Relay { get; set; }

    /// <summary>Called after a commit: a page that fails to take the signal is logged, and never turns the committed
    /// webhook or job into an error (the provider would retry what is already stored).</summary>
    public void Publish()
    {
        Relay?.Invoke();
        Deliver();
    }

    /// <summary>Tells this instance's pages (a signal from here, or relayed from another instance).</summary>
    public void Deliver()
    {
        if (Volatile.Read(ref _changed) is not { } changed) return;
        foreach (var listener in changed.GetInvocationList().Cast<Action>())
        {
            try
            {
                listener();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogListenerFailed(logger, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A dashboard page failed to take a live update")]
    private static partial void LogListenerFailed(ILogger logger, Exception exception);
}
