using System.Collections.Concurrent;
using Hangfire;

namespace HotlineBot.Jobs;

/// <summary>
/// Runs <see cref="EscalateOverdueCasesJob"/> just after a deadline, once per second of deadlines: a flood of reports
/// sets hundreds of accept deadlines a second, and one run takes every case due by then (the run itself is the same
/// whichever case asked for it). Scheduling a job per deadline cost more than the report's own writes, on the path that
/// answers the citizen. In memory, per instance: a schedule lost with the process is covered by the minutely run and the
/// run at start-up, which find deadlines in the database.
/// </summary>
public sealed class EscalationSchedule(IBackgroundJobClient jobs, TimeProvider time)
{
    private readonly ConcurrentDictionary<long, byte> _seconds = new();
    private long _pruneAt;

    /// <summary>A run between one and two seconds after <paramref name="after"/> from now, unless that second has one.</summary>
    public void After(TimeSpan after)
    {
        var now = time.GetUtcNow();
        var second = (now + after).ToUnixTimeSeconds() + 2;
        if (!_seconds.TryAdd(second, 0)) return;
        if (now.ToUnixTimeSeconds() >= Interlocked.Read(ref _pruneAt))
        {
            // Seconds already past are forgotten, once a minute.
            Interlocked.Exchange(ref _pruneAt, now.ToUnixTimeSeconds() + 60);
            foreach (var past in _seconds.Keys.Where(s => s < now.ToUnixTimeSeconds())) _seconds.TryRemove(past, out _);
        }
        try
        {
            jobs.Schedule<EscalateOverdueCasesJob>(j => j.RunAsync(CancellationToken.None), DateTimeOffset.FromUnixTimeSeconds(second) - now);
        }
        catch
        {
            _seconds.TryRemove(second, out _);     // not scheduled: the next deadline of that second tries again
            throw;
        }
    }

    /// <summary>How many seconds have a run scheduled (for tests).</summary>
    internal int Scheduled => _seconds.Count;
}
