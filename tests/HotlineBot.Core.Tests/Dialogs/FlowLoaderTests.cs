using HotlineBot.Core.Dialogs;

namespace HotlineBot.Core.Tests.Dialogs;

public sealed class FlowLoaderTests
{
    public sealed record Broken(string File, string Expected)
    {
        public override string ToString() => File;
    }

    // Each fixture breaks one rule; the error must name the file, the line and (where there is one) the step.
    private static readonly Broken[] BrokenFlows =
    [
        new("unknown-input.yaml", "unknown-input.yaml:13: step 'age': unknown input type 'umur'"),
        new("unknown-next.yaml", "unknown-next.yaml:8: step 'name': next step 'alamat' does not exist"),
        new("missing-translation.yaml", "missing-translation.yaml:8: step 'name': ask has no 'en' text"),
        new("choice-without-key.yaml", "choice-without-key.yaml:8: step 'needs': every choice needs a key"),
        new("unknown-case-field.yaml", "unknown-case-field.yaml:12: step 'done': unknown case field 'umur'"),
        new("unknown-property.yaml", "unknown-property.yaml:6: unknown field 'aks' in a step"),
        new("choice-with-step-field.yaml", "choice-with-step-field.yaml:13: unknown field 'max_attempts' in a choice"),
        new("wrong-version.yaml", "wrong-version.yaml:1: version must be 1, found 7"),
        new("unreachable-step.yaml", "unreachable-step.yaml:14: step 'orphan': no step leads here: it is unreachable"),
        new("bad-pattern.yaml", "bad-pattern.yaml:9: step 'code': bad pattern:"),
        new("branch-unknown-answer.yaml", "branch-unknown-answer.yaml:9: step 'urgent': branch 'mungkin' is not an answer of this step (one of: yes, no)"),
        new("unknown-command.yaml", "unknown-command.yaml:1: unknown command 'teleport'"),
        new("bad-on-fail.yaml", "bad-on-fail.yaml:9: step 'name': on_fail must be skip or handoff, not 'ignore'"),
        new("unbounded-question.yaml", "unbounded-question.yaml:6: step 'name': this question could be asked forever: give it max_attempts and on_fail"),
        new("action-loop.yaml", "action-loop.yaml:13: step 'a': actions lead back here without asking anything: the flow would loop"),
    ];

    [TestCaseSource(nameof(BrokenFlows))]
    public void Load_BrokenFlow_NamesFileLineAndStep(Broken broken)
    {
        var yaml = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "testdata", "flows", broken.File));

        Assert.That(() => FlowLoader.Load(yaml, broken.File), Throws.TypeOf<FlowException>().With.Message.Contains(broken.Expected));
    }

    [Test]
    public void Load_PromptOverOneSms_LoadsWithAWarningThatSaysWhy()
    {
        var flow = FlowLoader.Load(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "testdata", "flows", "long-prompt.yaml")), "long-prompt.yaml");

        Assert.That(flow.Warnings.Select(w => w.ToString()), Is.EquivalentTo(new[]
        {
            "long-prompt.yaml:12: warning: step 'name': ask (id) takes 2 SMS segments (GSM-7, 160 per SMS)",
        }));
    }

    [Test]
    public void Load_NonGsmCharacter_WarnsOnlyWhenItCostsASecondSegment()
    {
        var flow = FlowLoader.Load(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "testdata", "flows", "long-prompt.yaml")), "long-prompt.yaml");

        Assert.That(flow.Warnings.Select(w => w.Message), Has.None.Contains("retry"), "an en dash in a short text still fits 70 UCS-2 characters");
    }

    [Test]
    public void Load_ShippedFlow_FitsEveryPromptInOneSms() =>
        Assert.That(ShippedFlow.LaporSakit.Warnings, Is.Empty, string.Join("\n", ShippedFlow.LaporSakit.Warnings));

    [Test]
    public void Load_MinimalFlow_Loads()
    {
        var flow = FlowLoader.Load(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "testdata", "flows", "minimal.yaml")), "minimal.yaml");

        Assert.That(flow.Steps.Select(s => s.Id), Is.EqualTo(new[] { "name", "done" }));
    }

    [Test]
    public void Load_ShippedFlow_HasTheContractNeedKeysInOrder() =>
        Assert.That(ShippedFlow.Step("needs").Choices.Select(c => c.Key), Is.EqualTo(new[]
        {
            "ambulance", "hospital_costs", "insurance", "documents", "food", "shelter", "accompaniment", "post_care",
        }));
}
