using HotlineBot.Core.Indonesia.Regions;

namespace HotlineBot.Core.Tests.Indonesia.Regions;

public sealed class RegionIndexTests
{
    /// <summary>The villages load on first use, into the same index: a request walking the kecamatan meanwhile (an
    /// address resolver building its office's list) must not fail, or the resolver's lazy list keeps the failure.</summary>
    [Test]
    public async Task WalkingTheKecamatan_WhileTheVillagesLoad_DoesNotFail()
    {
        var index = new RegionIndex();
        using var started = new ManualResetEventSlim();
        var loaded = false;
        var walker = Task.Run(() =>
        {
            var walks = 0;
            while (!Volatile.Read(ref loaded) || walks < 3)
            {
                _ = index.Districts.Count(d => d.ParentCode == "33.02") + index.Regencies.Count(r => r.ParentCode == "33");
                walks++;
                started.Set();
            }
            return walks;
        });
        started.Wait();
        Assert.That(index.Find("33.02.19.2018")?.Name, Is.EqualTo("Karangrau"));
        Volatile.Write(ref loaded, true);

        Assert.That(await walker, Is.GreaterThan(0));
        Assert.That(index.Districts.Count(d => d.ParentCode == "33.02"), Is.EqualTo(27));
    }

    /// <summary>The region data is inside the assembly (ODbL 1.0): its licence and attribution must go with every build
    /// that carries it, the published service and its Docker image included.</summary>
    [Test]
    public void RegionData_Licence_GoesWithTheBuild()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "licenses", "regions");
        Assert.That(File.ReadAllText(Path.Combine(folder, "LICENSE.md")), Does.Contain("Open Database License"));
        Assert.That(File.ReadAllText(Path.Combine(folder, "NOTICE.md")), Does.Contain("idn-area-data"));
    }
}
