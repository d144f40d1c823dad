using HotlineBot.Channels;
using HotlineBot.Channels.AndroidSmsGateway;
using HotlineBot.Channels.Twilio;
using HotlineBot.Channels.WhatsAppCloud;
using HotlineBot.Storage;
using HotlineBot.Webhooks;
using Microsoft.Extensions.Options;

namespace HotlineBot.Dashboard;

/// <summary>
/// The dashboard's simulator: a message typed on the page enters <see cref="InboundPipeline"/> exactly as a
/// <c>/simulator/messages</c> webhook would, from a <c>sim:</c> phone. Cases it creates are flagged simulated, so what
/// they cause reaches simulated phones only (<see cref="Cases.CaseEffects"/>), and a simulated partner's
/// codes act on simulated cases only.
/// </summary>
public sealed class SimulatorGate(InboundPipeline pipeline, Database database, IOptions<TwilioOptions> twilio,
    IOptions<WhatsAppCloudOptions> cloud, IOptions<AndroidSmsOptions> android)
{
    /// <summary>No provider account: everything the hotline sends goes to the simulator (a demo or training install).</summary>
    public bool DemoMode => !twilio.Value.IsConfigured && !cloud.Value.IsConfigured && !android.Value.IsConfigured;

    public Task<IReadOnlyList<string>> SendAsync(string e164, string text, CancellationToken ct) =>
        pipeline.ProcessAsync(new InboundMessage("simulator", "dashboard-" + Guid.NewGuid().ToString("N"), "sim:" + e164, "simulator", text), ct);

    /// <summary>What the outbox delivered to this simulated phone after message <paramref name="after"/>.</summary>
    public async Task<IReadOnlyList<Channels.Simulator.SimulatorSent>> SentToAsync(string e164, long after, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await MessageStore.SentToAsync(connection, ["sim:" + e164], after)).Select(r => new Channels.Simulator.SimulatorSent(r.Id, r.Body)).ToList();
    }
}
