using System.Text.RegularExpressions;
using HotlineBot.Core.Cases;
using HotlineBot.Core.Dialogs.Inputs;
using HotlineBot.Core.Sms;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace HotlineBot.Core.Dialogs;

/// <summary>
/// Reads a flow from YAML text and checks that it can run. Findings name the file, the line and the step, so an
/// officer editing a flow knows where to look; errors stop loading, warnings (a prompt over one SMS) do not.
/// Reading the file itself is the host's job.
/// </summary>
public static partial class FlowLoader
{
    public const int CurrentVersion = 1;
    public static readonly IReadOnlyList<string> Languages = ["id", "en"];
    private static readonly HashSet<string> Actions = ["create_case", "say", "handoff"];
    private static readonly HashSet<string> ChoiceActions = ["edit"];
    private static readonly HashSet<string> FailModes = ["skip", "handoff"];

    /// <summary>Each command and the engine messages it needs.</summary>
    private static readonly Dictionary<string, string[]> CommandMessages = new()
    {
        ["cancel"] = ["cancelled", "nothing_to_cancel"], ["restart"] = [], ["back"] = [], ["help"] = ["help"],
        ["language_id"] = ["language_changed"], ["language_en"] = ["language_changed"],
        ["status"] = ["status", "status_not_found", "status_usage"], ["stop"] = ["stopped"], ["start"] = [], ["urgent"] = ["urgent"],
    };

    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    /// <param name="shared">The shared vocabulary (<c>vocabulary.yaml</c>): its commands and messages fill those the
    /// flow does not write itself, its words serve yes/no, "don't know" and greetings.</param>
    public static FlowDefinition Load(string yaml, string sourceFile, Vocabulary? shared = null)
    {
        FlowDefinition flow;
        try
        {
            flow = Deserializer.Deserialize<FlowDefinition>(yaml) ?? throw new FlowException($"{sourceFile}:1: the file is empty.");
            foreach (var (id, line) in StepLines(yaml)) flow.StepLines[id] = line;
        }
        catch (YamlException e)
        {
            var message = e.InnerException?.Message ?? e.Message;
            var unknown = UnknownProperty().Match(message);
            if (unknown.Success)
                message = $"unknown field '{unknown.Groups[1].Value}' in {(unknown.Groups[2].Value == "StepDefinition" ? "a step" : unknown.Groups[2].Value switch { "FlowDefinition" => "the flow", "ChoiceDefinition" => "a choice", "BranchDefinition" => "a branch", _ => "this section" })}";
            throw new FlowException($"{sourceFile}:{e.Start.Line}: {message}");
        }
        flow.SourceFile = sourceFile;
        Share(flow, shared ?? Vocabulary.Empty);
        Fold(flow);
        var findings = Check(flow);
        var errors = findings.Where(d => d.Severity == Severity.Error).ToList();
        if (errors.Count > 0) throw new FlowException(string.Join('\n', errors));
        flow.Warnings = findings;
        return flow;
    }

    [GeneratedRegex(@"Property '([^']+)' not found on type '(?:[\w.]+\.)?(\w+)'")]
    private static partial Regex UnknownProperty();

    /// <summary>Every finding about the flow: errors (it cannot run) and warnings (it runs, but costs or confuses).</summary>
    public static List<FlowDiagnostic> Check(FlowDefinition flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        var findings = new List<FlowDiagnostic>();
        int LineOf(StepDefinition? step) => step is not null && flow.StepLines.TryGetValue(step.Id, out var l) ? l : 1;
        void Error(StepDefinition? step, string message) => findings.Add(new(Severity.Error, flow.SourceFile, LineOf(step), step?.Id, message));
        void Warn(StepDefinition? step, string message) => findings.Add(new(Severity.Warning, flow.SourceFile, LineOf(step), step?.Id, message));
        void Translated(StepDefinition? step, Texts texts, string what)
        {
            foreach (var lang in Languages)
                if (!texts.TryGetValue(lang, out var t) || string.IsNullOrWhiteSpace(t)) Error(step, $"{what} has no '{lang}' text");
        }
        void OneSegment(StepDefinition? step, Texts texts, string what, string rendered = "")
        {
            foreach (var (lang, text) in texts)
            {
                // Counted as it will be sent: outbound SMS are sanitized the same way (SmsText).
                var full = SmsText.Sanitize(text.Replace("{choices}", rendered, StringComparison.Ordinal));
                if (full.Contains("{summary}", StringComparison.Ordinal)) continue;   // its length depends on the answers
                var segments = SmsSegments.Count(full.Replace("{case_code}", "12345678", StringComparison.Ordinal));
                if (segments > 1)
                    Warn(step, $"{what} ({lang}) takes {segments} SMS segments ({(SmsSegments.IsGsm7(full) ? "GSM-7, 160 per SMS" : "UCS-2 because of a non-GSM character, 70 per SMS")})");
            }
        }

        if (flow.Version != CurrentVersion) Error(null, $"version must be {CurrentVersion}, found {flow.Version}");
        if (string.IsNullOrWhiteSpace(flow.Id)) Error(null, "the flow has no id");
        if (flow.Steps.Count == 0) { Error(null, "the flow has no steps"); return findings; }
        if (flow.Steps[0].IsAction) Error(flow.Steps[0], "the first step must ask something");
        foreach (var (command, _) in flow.Commands)
        {
            if (!CommandMessages.TryGetValue(command, out var needed)) { Error(null, $"unknown command '{command}'"); continue; }
            foreach (var key in needed) Translated(null, flow.Message(key), $"messages.{key} (used by command '{command}')");
        }
        Translated(null, flow.Message("edit_menu"), "messages.edit_menu");
        if (flow.Steps.Exists(s => s.Input == "address"))
            Translated(null, flow.Message("choose_place"), "messages.choose_place (used by address steps)");
        foreach (var (key, texts) in flow.Messages) OneSegment(null, texts, $"messages.{key}");
        if (flow.Greeting.Count > 0) Translated(null, flow.Greeting, "greeting");
        foreach (var (name, text) in new[] { ("remind_after", flow.Timers.RemindAfter), ("expire_after", flow.Timers.ExpireAfter) })
            if (text is not null && TimersDefinition.Parse(text) is null) Error(null, $"timers.{name} '{text}' is not a duration like 00:15:00");
        if (flow.Timers.Remind is not null) Translated(null, flow.Message("reminder"), "messages.reminder (used by timers.remind_after)");
        if (flow.Timers.Expire is not null) Translated(null, flow.Message("expired"), "messages.expired (used by timers.expire_after)");
        if (flow.Timers.Remind >= flow.Timers.Expire) Error(null, "timers.remind_after must come before timers.expire_after");

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var step in flow.Steps)
            if (string.IsNullOrWhiteSpace(step.Id) || !ids.Add(step.Id)) Error(step, "step ids must be present and unique");
        void Target(StepDefinition step, string? id, string what)
        {
            if (id is not null && !ids.Contains(id)) Error(step, $"{what} '{id}' does not exist");
        }

        foreach (var step in flow.Steps)
        {
            if ((step.Input is null) == (step.Action is null)) { Error(step, "a step has either 'input' or 'action'"); continue; }
            Target(step, step.Next, "next step");
            foreach (var branch in step.Branches) Target(step, branch.Next, $"branch '{branch.When}' goes to step");
            if (step.Action is { } action)
            {
                if (!Actions.Contains(action)) { Error(step, $"unknown action '{action}'"); continue; }
                foreach (var (field, source) in step.Case)
                {
                    if (!CaseDraft.IsField(field)) Error(step, $"unknown case field '{field}'");
                    if (!ids.Contains(source)) Error(step, $"case field '{field}' names step '{source}', which does not exist");
                }
                if (action != "create_case" && step.Case.Count > 0) Error(step, "only create_case takes 'case'");
                Translated(step, step.Say, "say");
                OneSegment(step, step.Say, "say");
                continue;
            }
            if (!InputTypes.All.ContainsKey(step.Input!)) Error(step, $"unknown input type '{step.Input}'");
            Translated(step, step.Ask, "ask");
            Translated(step, step.Retry, "retry");
            foreach (var (key, texts) in step.Errors) Translated(step, texts, $"errors.{key}");
            if (step.Summary.Count > 0) Translated(step, step.Summary, "summary");
            var rendered = string.Join('\n', step.Choices.Select((c, i) => $"{i + 1}. {c.Label.GetValueOrDefault("id", "")}"));
            OneSegment(step, step.Ask, "ask", rendered);
            OneSegment(step, step.Retry, "retry", rendered);
            if (step.Input is "choice" or "multi_choice" && step.Choices.Count == 0) Error(step, "a choice step needs choices");
            foreach (var choice in step.Choices)
            {
                if (string.IsNullOrWhiteSpace(choice.Key)) { Error(step, "every choice needs a key"); continue; }
                if (step.Input != "yes_no") Translated(step, choice.Label, $"choice '{choice.Key}' label");
                Target(step, choice.Next, $"choice '{choice.Key}' goes to step");
                if (choice.Action is { } ca && !ChoiceActions.Contains(ca)) Error(step, $"choice '{choice.Key}' has unknown action '{ca}'");
            }
            var keys = step.Input == "yes_no" ? ["yes", "no"] : step.Choices.Select(c => c.Key).ToList();
            foreach (var branch in step.Branches)
                if (!keys.Contains(branch.When)) Error(step, $"branch '{branch.When}' is not an answer of this step (one of: {string.Join(", ", keys)})");
            step.MaxAttempts ??= flow.Defaults.MaxAttempts;
            step.OnFail ??= flow.Defaults.OnFail;
            if (step.OnFail is { } onFail)
            {
                if (!FailModes.Contains(onFail)) Error(step, $"on_fail must be skip or handoff, not '{onFail}'");
                else foreach (var key in onFail == "skip" ? new[] { "skipped", "skip_notice" } : ["handoff"])
                    Translated(step, flow.Message(key), $"messages.{key} (used by on_fail: {onFail})");
            }
            if (step.MaxAttempts is < 1) Error(step, "max_attempts must be at least 1");
            // A question with no limit re-asks a confused citizen forever: each must end (skip or an officer).
            if (step.MaxAttempts is null || step.OnFail is null)
                Error(step, "this question could be asked forever: give it max_attempts and on_fail (skip or handoff), or the flow a 'defaults:' with both");
            if (step.Pattern is { } pattern)
            {
                try { step.PatternRegex = new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, TimeSpan.FromMilliseconds(100)); }
                catch (ArgumentException e) { Error(step, $"bad pattern: {e.Message}"); }
            }
        }

        foreach (var step in Unreachable(flow, ids)) Error(step, "no step leads here: it is unreachable");
        foreach (var step in ActionLoops(flow, ids)) Error(step, "actions lead back here without asking anything: the flow would loop");
        return findings;
    }

    /// <summary>Steps no path from the first step reaches (through next, branches, choices, or list order).</summary>
    private static IEnumerable<StepDefinition> Unreachable(FlowDefinition flow, HashSet<string> ids)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<StepDefinition>([flow.Steps[0]]);
        while (queue.TryDequeue(out var step))
        {
            if (!seen.Add(step.Id)) continue;
            var targets = new List<string?> { step.Next };
            if (step.Next is null && step.Action is not ("create_case" or "handoff")) targets.Add(flow.After(step)?.Id);
            targets.AddRange(step.Branches.Select(b => b.Next));
            targets.AddRange(step.Choices.Select(c => c.Next));
            foreach (var id in targets)
                if (id is not null && ids.Contains(id)) queue.Enqueue(flow.Step(id));
        }
        return flow.Steps.Where(s => !seen.Contains(s.Id) && !string.IsNullOrEmpty(s.Id));
    }

    /// <summary>Action steps from which following <c>next</c> through actions only comes back to the same step.</summary>
    private static IEnumerable<StepDefinition> ActionLoops(FlowDefinition flow, HashSet<string> ids)
    {
        foreach (var start in flow.Steps.Where(s => s.Action is "say"))
        {
            var step = start;
            for (var i = 0; i <= flow.Steps.Count && step is { Action: "say" }; i++)
            {
                var nextId = step.Next ?? flow.After(step)?.Id;
                step = nextId is not null && ids.Contains(nextId) ? flow.Step(nextId) : null;
                if (step == start) { yield return start; break; }
            }
        }
    }

    /// <summary>The shared vocabulary under the flow's own words: commands and messages the flow leaves out.</summary>
    private static void Share(FlowDefinition flow, Vocabulary shared)
    {
        flow.Vocabulary = shared;
        foreach (var (command, words) in shared.Commands) flow.Commands.TryAdd(command, [.. words]);
        foreach (var (key, texts) in shared.Messages) flow.Messages.TryAdd(key, texts);
    }

    /// <summary>Flow words are compared with folded input (<see cref="TextNormalizer.Normalize"/>), so fold them once here.</summary>
    private static void Fold(FlowDefinition flow)
    {
        static List<string> All(List<string> words) => words.Select(TextNormalizer.Normalize).Distinct(StringComparer.Ordinal).ToList();
        foreach (var key in flow.Commands.Keys.ToList()) flow.Commands[key] = All(flow.Commands[key]);
        flow.Triggers = All(flow.Triggers);
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
