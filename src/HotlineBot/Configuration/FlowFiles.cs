using HotlineBot.Core.Dialogs;

namespace HotlineBot.Configuration;

/// <summary>Reads every <c>*.yaml</c> flow in the flows folder; any error stops start-up, naming file, line and step.</summary>
public static class FlowFiles
{
    public static FlowSet Load(string folder, string defaultFlow)
    {
        if (!Directory.Exists(folder))
            throw new FlowException($"Flows folder '{folder}' does not exist (setting Hotline:FlowsPath).");
        var files = Directory.GetFiles(folder, "*.yaml").Order(StringComparer.Ordinal).ToArray();
        var flows = new List<FlowDefinition>(files.Length);
        var errors = new List<string>();
        foreach (var file in files)
        {
            try { flows.Add(FlowLoader.Load(File.ReadAllText(file), Path.GetRelativePath(Directory.GetCurrentDirectory(), file))); }
            catch (FlowException e) { errors.Add(e.Message); }
        }
        if (errors.Count > 0) throw new FlowException(string.Join('\n', errors));
        return new FlowSet(flows, defaultFlow);
    }
}
