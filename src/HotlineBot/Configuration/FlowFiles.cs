using HotlineBot.Core.Dialogs;

namespace HotlineBot.Configuration;

/// <summary>Reads every <c>*.yaml</c> flow in the flows folder, with the shared words of its <c>vocabulary.yaml</c>.
/// Any error stops start-up, naming file, line and step.</summary>
public static class FlowFiles
{
    /// <summary>The flows that load, and every finding (errors as text, warnings as diagnostics) across the folder.</summary>
    public static (List<FlowDefinition> Flows, List<string> Errors, List<FlowDiagnostic> Warnings) Check(string folder, string defaultFlow)
    {
        var flows = new List<FlowDefinition>();
        var errors = new List<string>();
        if (!Directory.Exists(folder))
        {
            errors.Add($"Flows folder '{folder}' does not exist (setting Hotline:FlowsPath).");
            return (flows, errors, []);
        }
        var vocabularyFile = Path.Combine(folder, Vocabulary.FileName);
        var vocabulary = Vocabulary.Empty;
        if (!File.Exists(vocabularyFile))
            errors.Add($"{Relative(vocabularyFile)}: missing: the flows share their yes/no, \"don't know\" and global words from it");
        else
        {
            try { vocabulary = Vocabulary.Load(File.ReadAllText(vocabularyFile), Relative(vocabularyFile)); }
            catch (FlowException e) { errors.Add(e.Message); }
        }
        foreach (var file in Directory.GetFiles(folder, "*.yaml").Where(f => Path.GetFileName(f) != Vocabulary.FileName).Order(StringComparer.Ordinal))
        {
            try { flows.Add(FlowLoader.Load(File.ReadAllText(file), Relative(file), vocabulary)); }
            catch (FlowException e) { errors.Add(e.Message); }
        }
        foreach (var duplicate in flows.GroupBy(f => f.Id).Where(g => g.Count() > 1))
            errors.Add($"flow id '{duplicate.Key}' is used by {string.Join(" and ", duplicate.Select(f => f.SourceFile))}");
        foreach (var trigger in flows.SelectMany(f => f.Triggers.Select(t => (Trigger: t, Flow: f))).GroupBy(x => x.Trigger).Where(g => g.Count() > 1))
            errors.Add($"trigger '{trigger.Key}' starts more than one flow: {string.Join(", ", trigger.Select(x => x.Flow.SourceFile))}");
        if (errors.Count == 0 && !flows.Exists(f => f.Id == defaultFlow))
            errors.Add($"the default flow '{defaultFlow}' (setting Hotline:DefaultFlow) is not in {folder}");
        return (flows, errors, flows.SelectMany(f => f.Warnings).ToList());
    }

    private static string Relative(string file) => Path.GetRelativePath(Directory.GetCurrentDirectory(), file);

    public static FlowSet Load(string folder, string defaultFlow)
    {
        var (flows, errors, _) = Check(folder, defaultFlow);
        if (errors.Count > 0) throw new FlowException(string.Join('\n', errors));
        return new FlowSet(flows, defaultFlow);
    }
}
