using HotlineBot.Cases;
using HotlineBot.Core.Cases;

namespace HotlineBot.Tests.Cases;

public sealed class CaseEffectsTests
{
    [Test]
    public void HandledEffects_CoverEveryEffectTheCaseEngineReturns()
    {
        var effects = typeof(CaseEffect).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(CaseEffect)) && !t.IsAbstract).ToList();

        Assert.That(effects, Is.Not.Empty);
        Assert.That(effects.Except(CaseEffects.HandledEffects), Is.Empty, "an effect the host does not apply would be dropped");
    }
}
