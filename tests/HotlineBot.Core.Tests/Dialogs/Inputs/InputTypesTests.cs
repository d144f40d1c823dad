using HotlineBot.Core.Dialogs.Inputs;

namespace HotlineBot.Core.Tests.Dialogs.Inputs;

public sealed class InputTypesTests
{
    [Test]
    public void EveryRegisteredType_HasItsOwnTestClass()
    {
        var testClasses = typeof(InputTypesTests).Assembly.GetTypes().Select(t => t.Name).ToHashSet();

        var untested = InputTypes.All.Values.Select(t => t.GetType().Name + "Tests").Where(n => !testClasses.Contains(n));

        Assert.That(untested, Is.Empty);
    }

    [Test]
    public void Registry_IsKeyedByTheNameFlowsUse() =>
        Assert.That(InputTypes.All.Keys, Is.EquivalentTo(new[] { "text", "nik", "phone", "number", "choice", "multi_choice", "yes_no", "address" }));
}
