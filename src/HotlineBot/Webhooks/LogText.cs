namespace HotlineBot.Webhooks;

/// <summary>A value a sender controls, made safe to log: control characters (new lines that forge log entries, escape
/// sequences for a terminal) become spaces, and it is cut to a length a log line can carry.</summary>
public static class LogText
{
    public const int MaxLength = 120;

    public static string Clean(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        var cut = value.Length > MaxLength ? value[..MaxLength] + "…" : value;
        return string.Create(cut.Length, cut, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++) span[i] = char.IsControl(source[i]) || char.IsSurrogate(source[i]) && !char.IsSurrogatePair(source, i) && !(i > 0 && char.IsSurrogatePair(source, i - 1)) ? ' ' : source[i];
        });
    }
}

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
