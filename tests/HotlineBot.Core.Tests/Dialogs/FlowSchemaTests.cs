using System.Globalization;
using System.Text.Json.Nodes;
using NJsonSchema;
using YamlDotNet.RepresentationModel;

namespace HotlineBot.Core.Tests.Dialogs;

/// <summary><c>conversation-flows/flow.schema.json</c> is what editors validate against: it must accept every shipped
/// flow and refuse what the loader refuses structurally.</summary>
public sealed class FlowSchemaTests
{
    private static readonly JsonSchema Schema =
        JsonSchema.FromJsonAsync(File.ReadAllText(RepoFiles.Path("conversation-flows", "flow.schema.json"))).GetAwaiter().GetResult();

    public static IEnumerable<string> ShippedFlows() =>
        Directory.GetFiles(RepoFiles.Path("conversation-flows"), "*.yaml").Select(Path.GetFileName).Cast<string>()
            .Where(f => f != HotlineBot.Core.Dialogs.Vocabulary.FileName).Order();

    [TestCaseSource(nameof(ShippedFlows))]
    public void Schema_AcceptsShippedFlow(string file)
    {
        var errors = Schema.Validate(YamlAsJson(File.ReadAllText(RepoFiles.Path("conversation-flows", file))));

        Assert.That(errors.Select(e => $"{e.Path}: {e.Kind}"), Is.Empty);
    }

    [TestCase("unknown-property.yaml")]
    [TestCase("unknown-input.yaml")]
    [TestCase("wrong-version.yaml")]
    [TestCase("bad-on-fail.yaml")]
    [TestCase("missing-translation.yaml")]
    [TestCase("unknown-command.yaml")]
    [TestCase("unknown-case-field.yaml")]
    public void Schema_RefusesStructurallyBrokenFlow(string file)
    {
        var errors = Schema.Validate(YamlAsJson(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "testdata", "flows", file))));

        Assert.That(errors, Is.Not.Empty);
    }

    /// <summary>YAML to JSON with the YAML 1.2 core schema for plain scalars: integers, booleans and null are typed,
    /// everything else (quoted or not) is a string, as the loader reads it.</summary>
    private static string YamlAsJson(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return Convert(stream.Documents[0].RootNode)!.ToJsonString();
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, Convert(c.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(Convert).ToArray()),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } s when long.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => JsonValue.Create(n),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: "true" or "false" } s => JsonValue.Create(s.Value == "true"),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: "null" or "~" or "" } => null,
        YamlScalarNode s => JsonValue.Create(s.Value),
        _ => throw new InvalidOperationException($"Unexpected YAML node {node.NodeType}"),
    };
}
