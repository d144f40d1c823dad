namespace HotlineBot.Core.Dialogs;

/// <summary>A conversation flow as written in <c>conversation-flows/*.yaml</c>. The format is data; see that folder's README.</summary>
public sealed class FlowDefinition
{
    public int Version { get; set; }
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public Texts Greeting { get; set; } = [];
    /// <summary>Words that work at every step, keyed by what they do: <c>cancel</c>, <c>restart</c>, <c>help</c>.</summary>
    public Dictionary<string, List<string>> Commands { get; set; } = [];
    /// <summary>Texts the engine says itself, keyed by purpose: <c>cancelled</c>, <c>help</c>, <c>edit_menu</c>, ...</summary>
    public Dictionary<string, Texts> Messages { get; set; } = [];
    public List<StepDefinition> Steps { get; set; } = [];

    /// <summary>Where each step starts in its file (1-based line), for error messages.</summary>
    internal Dictionary<string, int> StepLines { get; } = [];
    public string SourceFile { get; internal set; } = "";

    public StepDefinition Step(string id) =>
        Steps.Find(s => s.Id == id) ?? throw new InvalidOperationException($"Flow '{Id}' has no step '{id}'.");

    public StepDefinition? After(StepDefinition step)
    {
        var index = Steps.IndexOf(step);
        return index >= 0 && index + 1 < Steps.Count ? Steps[index + 1] : null;
    }

    public Texts Message(string key) => Messages.TryGetValue(key, out var texts) ? texts : [];

    public string? CommandFor(string normalizedText)
    {
        foreach (var (command, words) in Commands)
            if (words.Exists(w => string.Equals(w, normalizedText, StringComparison.OrdinalIgnoreCase)))
                return command;
        return null;
    }
}
