namespace HotlineBot.Channels;

/// <summary>
/// <c>Channels:*</c>: where a message goes when its provider is down — its circuit is open, or it kept failing for
/// <see cref="FallbackAfterAttempts"/> attempts. <see cref="Fallback"/> maps a provider (<c>whatsapp-cloud</c>,
/// <c>twilio</c>, <c>android-sms</c>) to the others to try, in order, comma-separated: another provider that can reach
/// the same address, or <c>sms</c> — the same number by SMS through the SMS provider. Unset: the message waits and
/// retries on its own provider.
/// </summary>
public sealed class ChannelFallbackOptions
{
    public const string Section = "Channels";
    public const string Sms = "sms";
    public Dictionary<string, string> Fallback { get; set; } = new(StringComparer.Ordinal);
    public int FallbackAfterAttempts { get; set; } = 2;

    public IEnumerable<string> For(string provider) =>
        Fallback.TryGetValue(provider, out var order) ? order.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [];
}
