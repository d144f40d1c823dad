namespace HotlineBot.Webhooks;

/// <summary>At most one log line per <paramref name="every"/> for an event anyone can cause, counting the ones held back.</summary>
public sealed class LogRate(TimeSpan every)
{
    private long _nextTicks;
    private long _suppressed;

    public bool TryTake(out long suppressed)
    {
        var now = Environment.TickCount64;
        var next = Interlocked.Read(ref _nextTicks);
        if (now >= next && Interlocked.CompareExchange(ref _nextTicks, now + (long)every.TotalMilliseconds, next) == next)
        {
            suppressed = Interlocked.Exchange(ref _suppressed, 0);
            return true;
        }
        Interlocked.Increment(ref _suppressed);
        suppressed = 0;
        return false;
    }
}
