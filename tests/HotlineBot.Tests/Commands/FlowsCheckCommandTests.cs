using HotlineBot.Commands;

namespace HotlineBot.Tests.Commands;

public sealed class FlowsCheckCommandTests
{
    [Test]
    public void Check_ShippedFlows_PassesWithoutFindings()
    {
        var output = new StringWriter();

        var exit = FlowsCheckCommand.Run(["flows", "check", RepoFiles.Path("conversation-flows")], output);

        Assert.That(exit, Is.Zero, output.ToString());
        Assert.That(output.ToString(), Does.Contain("0 error(s), 0 warning(s)"));
    }

    [Test]
    public void Check_BrokenFlows_ListsEveryFindingWithFileLineAndStepAndFails()
    {
        var folder = Directory.CreateTempSubdirectory("flows-check-").FullName;
        File.WriteAllText(Path.Combine(folder, "a.yaml"), "version: 1\nid: a\nsteps:\n  - id: q\n    input: umur\n");
        File.WriteAllText(Path.Combine(folder, "b.yaml"), "version: 1\nid: a\nsteps:\n  - id: q\n    input: text\n    next: nowhere\n");
        var output = new StringWriter();

        var exit = FlowsCheckCommand.Run(["flows", "check", folder], output, defaultFlow: "a");

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(output.ToString(), Does.Contain("a.yaml:4: step 'q': unknown input type 'umur'")
            .And.Contain("b.yaml:4: step 'q': next step 'nowhere' does not exist"));
        Directory.Delete(folder, recursive: true);
    }

    [Test]
    public void Check_AQuestionWithoutALimit_FailsNamingIt()
    {
        var folder = Directory.CreateTempSubdirectory("flows-check-").FullName;
        File.Copy(RepoFiles.Path("conversation-flows", "vocabulary.yaml"), Path.Combine(folder, "vocabulary.yaml"));
        File.Copy(RepoFiles.Path("tests", "HotlineBot.Core.Tests", "testdata", "flows", "unbounded-question.yaml"), Path.Combine(folder, "unbounded.yaml"));
        var output = new StringWriter();

        var exit = FlowsCheckCommand.Run(["flows", "check", folder], output, defaultFlow: "unbounded");

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(output.ToString(), Does.Contain("unbounded.yaml:6: step 'name': this question could be asked forever"));
        Directory.Delete(folder, recursive: true);
    }
}
