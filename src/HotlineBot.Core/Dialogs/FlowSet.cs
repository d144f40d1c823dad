namespace HotlineBot.Core.Dialogs;

/// <summary>The flows loaded from the flows folder. A new conversation starts the default flow.</summary>
public sealed class FlowSet
{
    private readonly Dictionary<string, FlowDefinition> _flows;

    public FlowSet(IEnumerable<FlowDefinition> flows, string defaultFlowId)
    {
        _flows = flows.ToDictionary(f => f.Id, StringComparer.Ordinal);
        if (!_flows.TryGetValue(defaultFlowId, out var main))
            throw new FlowException($"The default flow '{defaultFlowId}' was not found among: {string.Join(", ", _flows.Keys)}.");
        Default = main;
    }

    public FlowDefinition Default { get; }
    public IReadOnlyCollection<FlowDefinition> All => _flows.Values;
    public FlowDefinition? Find(string id) => _flows.GetValueOrDefault(id);
}
