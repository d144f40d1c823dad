using HotlineBot.Core.Dialogs;
using HotlineBot.Core.Dialogs.Inputs;
using HotlineBot.Core.Indonesia;

namespace HotlineBot.Core.Tests.Dialogs;

/// <summary>The shipped <c>lapor-sakit</c> flow and a context to parse its steps with.</summary>
internal static class ShippedFlow
{
    /// <summary>The shipped shared words, <c>conversation-flows/vocabulary.yaml</c>.</summary>
    public static Vocabulary Vocabulary { get; } =
        Vocabulary.Load(File.ReadAllText(RepoFiles.Path("conversation-flows", Vocabulary.FileName)), Vocabulary.FileName);

    public static FlowDefinition LaporSakit { get; } = Load("lapor-sakit.yaml");

    public static FlowDefinition Load(string file) => FlowLoader.Load(File.ReadAllText(RepoFiles.Path("conversation-flows", file)), file, Vocabulary);

    /// <summary>A flow written in a test, loaded with the shipped shared words.</summary>
    public static FlowDefinition Parse(string yaml, string file = "test.yaml") => FlowLoader.Load(yaml, file, Vocabulary);

    public static NikProtector Protector { get; } = new(new byte[32]);

    public static InputContext Context(string language = "id") => new(new DateOnly(2026, 11, 23), Protector, language, Words: Vocabulary);

    public static StepDefinition Step(string id) => LaporSakit.Step(id);
}
