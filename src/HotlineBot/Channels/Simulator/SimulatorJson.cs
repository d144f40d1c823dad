using System.Text.Json.Serialization;

namespace HotlineBot.Channels.Simulator;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SimulatorReply))]
[JsonSerializable(typeof(List<SimulatorSent>))]
internal sealed partial class SimulatorJson : JsonSerializerContext;
