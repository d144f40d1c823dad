using HotlineBot.Configuration;

namespace HotlineBot.Commands;

/// <summary>
/// <c>flows check [folder]</c>: checks every flow file as the service would at start-up and prints each finding as
/// <c>file:line: step 'x': message</c>. Exits 1 when a flow has errors (the service would not start), else 0.
/// </summary>
public static class FlowsCheckCommand
{
    public static int Run(string[] args, TextWriter output, string defaultFlow = "lapor-sakit")
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var rest = args.SkipWhile(a => a != "check").Skip(1).Where(a => !a.StartsWith('-')).ToArray();
        var folder = rest.Length > 0 ? rest[0] : "conversation-flows";
        var (flows, errors, warnings) = FlowFiles.Check(Path.GetFullPath(folder), defaultFlow);
        foreach (var error in errors.SelectMany(e => e.Split('\n'))) output.WriteLine(error);
        foreach (var warning in warnings) output.WriteLine(warning);
        output.WriteLine($"{flows.Count} flow(s) loaded, {errors.Sum(e => e.Split('\n').Length)} error(s), {warnings.Count} warning(s).");
        return errors.Count > 0 ? 1 : 0;
    }
}
