using HotlineBot.Channels.Simulator;
using HotlineBot.Channels.Twilio;

namespace HotlineBot.Channels;

/// <summary>The channels by provider name, and which one reaches a contact address. Without a Twilio account,
/// what would go through Twilio goes to the simulator (DESIGN.md §3), where <c>chat</c> shows it.</summary>
public sealed class ChannelRegistry(TwilioChannel twilio, SimulatorChannel simulator, Microsoft.Extensions.Options.IOptions<TwilioOptions> options)
{
    public IChannel ForProvider(string provider) => provider switch
    {
        "twilio" => options.Value.IsConfigured ? twilio : simulator,
        "simulator" => simulator,
        _ => throw new InvalidOperationException($"No channel for provider '{provider}'."),
    };

    /// <summary><c>sim:</c> addresses belong to the simulator; <c>tel:</c> and <c>whatsapp:</c> to Twilio (the only
    /// SMS/WhatsApp provider so far).</summary>
    public static string ProviderFor(string contactAddress) =>
        contactAddress.StartsWith("sim:", StringComparison.Ordinal) ? "simulator" : "twilio";
}
