using Microsoft.Extensions.Options;

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

    private static readonly string[] Providers = ["twilio", "whatsapp-cloud", "android-sms"];

    /// <summary>Settings that name no provider we have, each as <c>Channels:Fallback:&lt;key&gt;</c>: checked at start-up,
    /// so a typo stops the service instead of every send during an outage.</summary>
    public IEnumerable<string> Errors() =>
        from pair in Fallback
        let unknown = (Providers.Contains(pair.Key) ? [] : new[] { pair.Key })
            .Concat(For(pair.Key).Where(t => t != Sms && !Providers.Contains(t)))
        where unknown.Any()
        select $"Channels:Fallback:{pair.Key} names '{string.Join("', '", unknown)}'; known: {string.Join(", ", Providers)}, {Sms}";

    public IEnumerable<string> For(string provider) =>
        Fallback.TryGetValue(provider, out var order) ? order.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [];

    /// <summary>Fails start-up (with <c>ValidateOnStart</c>) naming each setting that names an unknown provider.</summary>
    public sealed class Validator : IValidateOptions<ChannelFallbackOptions>
    {
        public ValidateOptionsResult Validate(string? name, ChannelFallbackOptions options) =>
            options.Errors().ToList() is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }
}
