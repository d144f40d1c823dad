using HotlineBot.Channels.AndroidSmsGateway;
using HotlineBot.Channels.Simulator;
using HotlineBot.Channels.Twilio;
using HotlineBot.Channels.WhatsAppCloud;
using Microsoft.Extensions.Options;

namespace HotlineBot.Channels;

/// <summary>The channels by provider name, and which one reaches a contact address. A provider without an account
/// sends to the simulator instead (DESIGN.md §3), where <c>chat</c> shows it.</summary>
public sealed class ChannelRegistry(TwilioChannel twilio, WhatsAppCloudChannel cloud, AndroidSmsChannel android, SimulatorChannel simulator,
    IOptions<TwilioOptions> twilioOptions, IOptions<WhatsAppCloudOptions> cloudOptions, IOptions<AndroidSmsOptions> androidOptions)
{
    public IChannel ForProvider(string provider) => provider switch
    {
        "twilio" => twilioOptions.Value.IsConfigured ? twilio : simulator,
        "whatsapp-cloud" => cloudOptions.Value.IsConfigured ? cloud : simulator,
        "android-sms" => androidOptions.Value.IsConfigured ? android : simulator,
        "simulator" => simulator,
        _ => throw new InvalidOperationException($"No channel for provider '{provider}'."),
    };

    /// <summary>Who sends what the hotline says on its own: <c>sim:</c> the simulator; <c>whatsapp:</c> Meta's Cloud
    /// API when configured, else Twilio; <c>tel:</c> the office's Android SMS gateway when configured (two-way, a local
    /// SIM), else Twilio. Replies always go back through the provider the message came in by.</summary>
    public string ProviderFor(string contactAddress) =>
        contactAddress.StartsWith("sim:", StringComparison.Ordinal) ? "simulator"
        : contactAddress.StartsWith("whatsapp:", StringComparison.Ordinal) ? (cloudOptions.Value.IsConfigured ? "whatsapp-cloud" : "twilio")
        : androidOptions.Value.IsConfigured ? "android-sms" : "twilio";
}
