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
/// on). Contacts whose gap has passed are forgotten, so the map does not grow with every number ever messaged. A slot
/// counts for later transactions once the transaction that took it commits: on SQLite a group commit whose write failed
/// runs its writes again, and the first run's slots must not stay taken, nor that of a claim that fails. Within the
/// transaction (on SQLite a whole batch of writes) the sends after it see it, a failed claim's too: they go a slot later
/// than they might, never sooner.</summary>
public sealed class Pacer(Microsoft.Extensions.Options.IOptions<PacingOptions> options, HotlineBot.Storage.Database database) : IPacer
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _nextForProvider = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _nextForContact = new(StringComparer.Ordinal);
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<System.Data.Common.DbTransaction, Slots> _uncommitted = new();
    private int _sincePrune;

    /// <summary>The slots a transaction took and has not committed yet.</summary>
    private sealed class Slots
    {
        public Dictionary<string, DateTimeOffset> Providers { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, DateTimeOffset> Contacts { get; } = new(StringComparer.Ordinal);
    }

    public Task<TimeSpan> ReserveAsync(System.Data.Common.DbTransaction tx, string provider, string contact, int units, DateTimeOffset now, TimeSpan maxWait)
    {
        ArgumentNullException.ThrowIfNull(tx);
        lock (_gate)
        {
            if (++_sincePrune >= 1000) Prune(now);
            var taken = _uncommitted.GetValue(tx, _ => new Slots());
            var rate = options.Value.PerSecond.GetValueOrDefault(provider, 0);
            var slot = Later(now, Next(_nextForProvider, taken.Providers, provider, now));
            slot = Later(slot, Next(_nextForContact, taken.Contacts, contact, now));
            var wait = slot - now;
            if (wait > maxWait) return Task.FromResult(wait);
            DateTimeOffset? providerNext = rate > 0 ? slot + TimeSpan.FromSeconds(units / rate) : null;
            var contactNext = slot + options.Value.ContactGap;
            if (providerNext is { } next) taken.Providers[provider] = next;
            taken.Contacts[contact] = contactNext;
            database.OnCommitted(tx, () =>
            {
                lock (_gate)
                {
                    if (providerNext is { } committed) _nextForProvider[provider] = Later(committed, _nextForProvider.GetValueOrDefault(provider, committed));
                    _nextForContact[contact] = Later(contactNext, _nextForContact.GetValueOrDefault(contact, contactNext));
                }
            });
            return Task.FromResult(wait);
        }
    }

    private static DateTimeOffset Next(Dictionary<string, DateTimeOffset> committed, Dictionary<string, DateTimeOffset> taken, string key, DateTimeOffset now) =>
        Later(committed.GetValueOrDefault(key, now), taken.GetValueOrDefault(key, now));

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
