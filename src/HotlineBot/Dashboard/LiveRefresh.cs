namespace HotlineBot.Dashboard;

/// <summary>
/// Turns "something changed" signals into one open page's refreshes. A signal only marks the page stale and returns:
/// it comes on the thread of a webhook or job that has just committed (<see cref="LiveUpdates"/>), which must not wait
/// on a page's queries — on SQLite an "async" query runs to its end on the calling thread. The refresh runs on the
/// thread pool, one at a time, however many signals came meanwhile: a burst of a thousand messages costs an open page a
/// refresh or two, not a thousand. After a refresh the page rests at least <c>gap</c>, and at least
/// <see cref="RestPerCost"/> times as long as the refresh took: a page whose queries grow slow (a big table, a machine
/// busy with a flood) takes at most a fifth of a core, instead of refreshing back to back.
/// </summary>
public sealed partial class LiveRefresh(Func<Task> refresh, TimeSpan gap, TimeProvider time, ILogger logger)
{
    private const int Idle = 0, Waiting = 1, Running = 2, RunningStale = 3, Stopped = 4;
    private int _state = Idle;
    private long _lastEnd = long.MinValue;
    private TimeSpan _lastCost;

    /// <summary>How many times as long as its last refresh took a page rests before the next.</summary>
    public const int RestPerCost = 4;

    /// <summary>How many refreshes have begun (for tests).</summary>
    internal int Runs;

    /// <summary>No refresh running or waiting (for tests).</summary>
    internal bool IsIdle => Volatile.Read(ref _state) == Idle;

    /// <summary>A refresh waits for its turn, none running (for tests).</summary>
    internal bool IsWaiting => Volatile.Read(ref _state) == Waiting;

    /// <summary>Something the page shows may have changed: a refresh follows, soon, on another thread.</summary>
    public void Signal()
    {
        while (true)
        {
            switch (Volatile.Read(ref _state))
            {
                case Idle:
                    if (Interlocked.CompareExchange(ref _state, Waiting, Idle) != Idle) continue;
                    _ = Task.Run(RunAsync, CancellationToken.None);
                    return;
                case Running:
                    if (Interlocked.CompareExchange(ref _state, RunningStale, Running) != Running) continue;
                    return;     // the refresh under way already read what changed before; the loop runs one more
                default:
                    return;     // a refresh is already waiting to run, one more is already due, or the page closed
            }
        }
    }

    /// <summary>The page closed: no refresh starts from now on, and one waiting for its turn never runs (its wait, at
    /// most the gap, ends in nothing).</summary>
    public void Stop() => Volatile.Write(ref _state, Stopped);

    private async Task RunAsync()
    {
        while (true)
        {
            var wait = _lastEnd == long.MinValue ? TimeSpan.Zero
                : TimeSpan.FromTicks(Math.Max(gap.Ticks, _lastCost.Ticks * RestPerCost)) - time.GetElapsedTime(_lastEnd);
            if (wait > TimeSpan.Zero) await Task.Delay(wait, time);
            // Changes from here on are read by this refresh or cause the next; a page stopped meanwhile stays stopped.
            if (Interlocked.CompareExchange(ref _state, Running, Waiting) != Waiting) return;
            var start = time.GetTimestamp();
            Interlocked.Increment(ref Runs);
            try
            {
                await refresh();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Not the page's own failure (that one it shows): the dispatch itself failed. The next signal or the
                // page's timer tries again.
                LogFailed(logger, e);
            }
            _lastEnd = time.GetTimestamp();
            _lastCost = time.GetElapsedTime(start, _lastEnd);
            // No signal meanwhile: idle until the next. A signal meanwhile: once more, after the gap. Stopped: done.
            if (Interlocked.CompareExchange(ref _state, Idle, Running) == Running) return;
            if (Interlocked.CompareExchange(ref _state, Waiting, RunningStale) != RunningStale) return;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A dashboard page failed to refresh")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
