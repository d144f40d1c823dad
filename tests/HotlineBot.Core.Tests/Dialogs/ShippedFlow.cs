using HotlineBot.Core.Dialogs;
using HotlineBot.Core.Dialogs.Inputs;
using HotlineBot.Core.Indonesia;

namespace HotlineBot.Core.Tests.Dialogs;

/// <summary>The shipped <c>lapor-sakit</c> flow and a context to parse its steps with.</summary>
internal static class ShippedFlow
{
    public static FlowDefinition LaporSakit { get; } = Load("lapor-sakit.yaml");

    public static FlowDefinition Load(string file) => FlowLoader.Load(File.ReadAllText(RepoFiles.Path("conversation-flows", file)), file);

    public static NikProtector Protector { get; } = new(new byte[32]);

    public static InputContext Context(string language = "id") => new(new DateOnly(2026, 11, 23), Protector, language);

    public static StepDefinition Step(string id) => LaporSakit.Step(id);
}
