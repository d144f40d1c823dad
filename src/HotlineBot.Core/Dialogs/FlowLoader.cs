using HotlineBot.Core.Cases;
using HotlineBot.Core.Dialogs.Inputs;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace HotlineBot.Core.Dialogs;

/// <summary>
/// Reads a flow from YAML text and checks that it can run. Errors name the file, the line and the step, so an
/// officer editing a flow knows where to look. Reading the file itself is the host's job.
/// </summary>
public static class FlowLoader
{
    public const int CurrentVersion = 1;
    public static readonly IReadOnlyList<string> Languages = ["id", "en"];
    private static readonly HashSet<string> Actions = ["create_case"];
    private static readonly HashSet<string> ChoiceActions = ["edit"];

    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    public static FlowDefinition Load(string yaml, string sourceFile)
    {
        FlowDefinition flow;
        try
        {
            flow = Deserializer.Deserialize<FlowDefinition>(yaml) ?? throw new FlowException($"{sourceFile}: the file is empty.");
        }
        catch (YamlException e)
        {
            throw new FlowException($"{sourceFile}:{e.Start.Line}: {e.InnerException?.Message ?? e.Message}");
        }
        flow.SourceFile = sourceFile;
        Fold(flow);
        foreach (var (id, line) in StepLines(yaml)) flow.StepLines[id] = line;
        var errors = Check(flow);
        if (errors.Count > 0) throw new FlowException(string.Join('\n', errors));
        return flow;
    }

    /// <summary>Every reason the flow cannot run, one line each, as <c>file:line: step 'x': what is wrong</c>.</summary>
    public static List<string> Check(FlowDefinition flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        var errors = new List<string>();
        void Error(StepDefinition? step, string message)
        {
            var line = step is not null && flow.StepLines.TryGetValue(step.Id, out var l) ? l : 1;
            errors.Add(step is null ? $"{flow.SourceFile}:{line}: {message}" : $"{flow.SourceFile}:{line}: step '{step.Id}': {message}");
        }
        void Translated(StepDefinition? step, Texts texts, string what)
        {
            foreach (var lang in Languages)
                if (!texts.TryGetValue(lang, out var t) || string.IsNullOrWhiteSpace(t)) Error(step, $"{what} has no '{lang}' text");
        }

        if (flow.Version != CurrentVersion) Error(null, $"version must be {CurrentVersion}, found {flow.Version}");
        if (string.IsNullOrWhiteSpace(flow.Id)) Error(null, "the flow has no id");
        if (flow.Steps.Count == 0) Error(null, "the flow has no steps");
        if (flow.Steps.Count > 0 && flow.Steps[0].IsAction) Error(flow.Steps[0], "the first step must ask something");
        foreach (var key in new[] { "cancelled", "help", "edit_menu" })
            Translated(null, flow.Message(key), $"messages.{key}");

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var step in flow.Steps)
            if (string.IsNullOrWhiteSpace(step.Id) || !ids.Add(step.Id)) Error(step, "step ids must be present and unique");

        foreach (var step in flow.Steps)
        {
            if ((step.Input is null) == (step.Action is null)) { Error(step, "a step has either 'input' or 'action'"); continue; }
            if (step.Next is { } next && !ids.Contains(next)) Error(step, $"next step '{next}' does not exist");
            if (step.Action is { } action)
            {
                if (!Actions.Contains(action)) Error(step, $"unknown action '{action}'");
                foreach (var (field, source) in step.Case)
                {
                    if (!CaseDraft.Fields.Contains(field)) Error(step, $"unknown case field '{field}'");
                    if (!ids.Contains(source)) Error(step, $"case field '{field}' names step '{source}', which does not exist");
                }
                Translated(step, step.Say, "say");
                continue;
            }
            if (!InputTypes.All.ContainsKey(step.Input!)) Error(step, $"unknown input type '{step.Input}'");
            Translated(step, step.Ask, "ask");
            Translated(step, step.Retry, "retry");
            foreach (var (key, texts) in step.Errors) Translated(step, texts, $"errors.{key}");
            if (step.Summary.Count > 0) Translated(step, step.Summary, "summary");
            if (step.Input is "choice" or "multi_choice" && step.Choices.Count == 0) Error(step, "a choice step needs choices");
            foreach (var choice in step.Choices)
            {
                if (string.IsNullOrWhiteSpace(choice.Key)) Error(step, "every choice needs a key");
                Translated(step, choice.Label, $"choice '{choice.Key}' label");
                if (choice.Next is { } cn && !ids.Contains(cn)) Error(step, $"choice '{choice.Key}' goes to '{cn}', which does not exist");
                if (choice.Action is { } ca && !ChoiceActions.Contains(ca)) Error(step, $"choice '{choice.Key}' has unknown action '{ca}'");
            }
        }
        return errors;
    }

    /// <summary>Flow words are compared with folded input (<see cref="TextNormalizer.Normalize"/>), so fold them once here.</summary>
    private static void Fold(FlowDefinition flow)
    {
        static List<string> All(List<string> words) => words.Select(TextNormalizer.Normalize).Distinct(StringComparer.Ordinal).ToList();
        foreach (var key in flow.Commands.Keys.ToList()) flow.Commands[key] = All(flow.Commands[key]);
        foreach (var step in flow.Steps)
        {
            foreach (var choice in step.Choices) choice.Words = All(choice.Words);
            if (step.Unknown is { } unknown) unknown.Words = All(unknown.Words);
        }
    }

    private static IEnumerable<(string Id, int Line)> StepLines(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root) yield break;
        if (!root.Children.TryGetValue(new YamlScalarNode("steps"), out var steps) || steps is not YamlSequenceNode sequence) yield break;
        foreach (var node in sequence)
            if (node is YamlMappingNode step && step.Children.TryGetValue(new YamlScalarNode("id"), out var id) && id is YamlScalarNode scalar)
                yield return (scalar.Value ?? "", (int)node.Start.Line);
    }
}
