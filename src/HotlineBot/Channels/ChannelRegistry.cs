using HotlineBot.Channels.Simulator;
using HotlineBot.Channels.Twilio;
using HotlineBot.Channels.WhatsAppCloud;
using Microsoft.Extensions.Options;

namespace HotlineBot.Channels;

/// <summary>The channels by provider name, and which one reaches a contact address. A provider without an account
/// sends to the simulator instead (DESIGN.md §3), where <c>chat</c> shows it.</summary>
public sealed class ChannelRegistry(TwilioChannel twilio, WhatsAppCloudChannel cloud, SimulatorChannel simulator,
    IOptions<TwilioOptions> twilioOptions, IOptions<WhatsAppCloudOptions> cloudOptions)
{
    public IChannel ForProvider(string provider) => provider switch
    {
        "twilio" => twilioOptions.Value.IsConfigured ? twilio : simulator,
        "whatsapp-cloud" => cloudOptions.Value.IsConfigured ? cloud : simulator,
        "simulator" => simulator,
        _ => throw new InvalidOperationException($"No channel for provider '{provider}'."),
    };

    /// <summary><c>sim:</c> addresses belong to the simulator; <c>whatsapp:</c> to Meta's Cloud API when it is
    /// configured, else Twilio; <c>tel:</c> to Twilio (SMS).</summary>
    public string ProviderFor(string contactAddress) =>
        contactAddress.StartsWith("sim:", StringComparison.Ordinal) ? "simulator"
        : contactAddress.StartsWith("whatsapp:", StringComparison.Ordinal) && cloudOptions.Value.IsConfigured ? "whatsapp-cloud"
        : "twilio";
}
