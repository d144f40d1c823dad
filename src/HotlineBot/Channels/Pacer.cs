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
/// messages. Slots are in memory: after a restart the sweep and these gaps simply start afresh.
/// </summary>
public sealed class Pacer(Microsoft.Extensions.Options.IOptions<PacingOptions> options)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _nextForProvider = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _nextForContact = new(StringComparer.Ordinal);

    /// <summary>How long to wait before sending. When that is more than <paramref name="maxWait"/> nothing is reserved:
    /// the caller defers the message by the returned time and asks again then.</summary>
    public TimeSpan Reserve(string provider, string contact, int units, DateTimeOffset now, TimeSpan maxWait)
    {
        lock (_gate)
        {
            var rate = options.Value.PerSecond.GetValueOrDefault(provider, 0);
            var slot = Later(now, _nextForProvider.GetValueOrDefault(provider, now));
            slot = Later(slot, _nextForContact.GetValueOrDefault(contact, now));
            var wait = slot - now;
            if (wait > maxWait) return wait;
            if (rate > 0) _nextForProvider[provider] = slot + TimeSpan.FromSeconds(units / rate);
            _nextForContact[contact] = slot + options.Value.ContactGap;
            return wait;
        }
    }

    /// <summary>The provider asked us to slow down: nothing more goes to it before <paramref name="until"/>.</summary>
    public void Throttled(string provider, DateTimeOffset until)
    {
        lock (_gate) _nextForProvider[provider] = Later(until, _nextForProvider.GetValueOrDefault(provider, until));
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
