namespace HotlineBot.Channels;

/// <summary><c>Pacing:*</c>: units per second per provider (an SMS costs one unit per segment, WhatsApp one per
/// message; 0 = unpaced) and the least time between two messages to one contact.</summary>
public sealed class PacingOptions
{
    public const string Section = "Pacing";
    public Dictionary<string, double> PerSecond { get; set; } = new(StringComparer.Ordinal)
    {
        ["twilio"] = 10, ["whatsapp-cloud"] = 20, ["android-sms"] = 1, ["simulator"] = 0,
    };
    public TimeSpan ContactGap { get; set; } = TimeSpan.FromSeconds(3);
}

/// <summary>
/// Gives each send its slot: units of one provider are spaced 1/rate apart, so no second holds more than the rate
/// allows, and two messages to one contact are at least <see cref="PacingOptions.ContactGap"/> apart so the handset shows
/// them in order. A provider that throttles us (429, 63018, 130429) gets its next slot pushed back instead of failing
/// messages. Two kinds: <see cref="Pacer"/> in memory (one process, SQLite) and <see cref="DatabasePacer"/> in the
/// database (several instances on PostgreSQL, which must share one rate).
/// </summary>
public interface IPacer
{
    /// <summary>How long to wait before sending. When that is more than <paramref name="maxWait"/> nothing is reserved:
    /// the caller defers the message by the returned time and asks again then. Taken in <paramref name="tx"/>, the
    /// transaction that claims the message, so a shared slot (<see cref="DatabasePacer"/>) commits with the claim.</summary>
    Task<TimeSpan> ReserveAsync(System.Data.Common.DbTransaction tx, string provider, string contact, int units, DateTimeOffset now, TimeSpan maxWait);

    /// <summary>The provider asked us to slow down: nothing more goes to it before <paramref name="until"/>.</summary>
    Task ThrottledAsync(string provider, DateTimeOffset until);
}

/// <summary>Pacing in this process's memory: slots start afresh after a restart (the sweep and these gaps simply go
/// on). Contacts whose gap has passed are forgotten, so the map does not grow with every number ever messaged.</summary>
public sealed class Pacer(Microsoft.Extensions.Options.IOptions<PacingOptions> options) : IPacer
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _nextForProvider = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _nextForContact = new(StringComparer.Ordinal);
    private int _sincePrune;

    /// <summary>In memory: <paramref name="tx"/> plays no part (a slot of a claim that does not commit is simply left).</summary>
    public Task<TimeSpan> ReserveAsync(System.Data.Common.DbTransaction tx, string provider, string contact, int units, DateTimeOffset now, TimeSpan maxWait)
    {
        lock (_gate)
        {
            if (++_sincePrune >= 1000) Prune(now);
            var rate = options.Value.PerSecond.GetValueOrDefault(provider, 0);
            var slot = Later(now, _nextForProvider.GetValueOrDefault(provider, now));
            slot = Later(slot, _nextForContact.GetValueOrDefault(contact, now));
            var wait = slot - now;
            if (wait > maxWait) return Task.FromResult(wait);
            if (rate > 0) _nextForProvider[provider] = slot + TimeSpan.FromSeconds(units / rate);
            _nextForContact[contact] = slot + options.Value.ContactGap;
            return Task.FromResult(wait);
        }
    }

    public Task ThrottledAsync(string provider, DateTimeOffset until)
    {
        lock (_gate) _nextForProvider[provider] = Later(until, _nextForProvider.GetValueOrDefault(provider, until));
        return Task.CompletedTask;
    }

    /// <summary>Contacts tracked at the moment (what the pruning keeps small).</summary>
    public int TrackedContacts { get { lock (_gate) return _nextForContact.Count; } }

    private void Prune(DateTimeOffset now)
    {
        _sincePrune = 0;
        foreach (var (contact, next) in _nextForContact.ToList())
            if (next <= now) _nextForContact.Remove(contact);
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
