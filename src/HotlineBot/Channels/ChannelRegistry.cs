using HotlineBot.Channels.Simulator;
using HotlineBot.Channels.Twilio;

namespace HotlineBot.Channels;

/// <summary>The channels by provider name, and which one reaches a contact address.</summary>
public sealed class ChannelRegistry(TwilioChannel twilio, SimulatorChannel simulator)
{
    public IChannel ForProvider(string provider) => provider switch
    {
        "twilio" => twilio,
        "simulator" => simulator,
        _ => throw new InvalidOperationException($"No channel for provider '{provider}'."),
    };

    /// <summary><c>sim:</c> addresses belong to the simulator; <c>tel:</c> and <c>whatsapp:</c> to Twilio (the only
    /// SMS/WhatsApp provider so far).</summary>
    public static string ProviderFor(string contactAddress) =>
        contactAddress.StartsWith("sim:", StringComparison.Ordinal) ? "simulator" : "twilio";
}
