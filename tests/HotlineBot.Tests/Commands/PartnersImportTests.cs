using Dapper;
using HotlineBot.Commands;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests.Commands;

public sealed class PartnersImportTests
{
    private static async Task<List<(string Id, long Active)>> Partners(HotlineHost host)
    {
        await using var connection = new SqliteConnection($"Data Source={host.DatabasePath}");
        return (await connection.QueryAsync<(string, long)>("SELECT id, active FROM partners ORDER BY id")).ToList();
    }

    [Test]
    public async Task Startup_LoadsThePartnersFileOfTheSettings()
    {
        using var host = new HotlineHost();
        host.CreateClient().Dispose();

        Assert.That((await Partners(host)).Select(p => p.Id).ToList(), Has.Count.EqualTo(7).And.Contains("puskesmas-sokaraja"));
    }

    [Test]
    public async Task Startup_WithABrokenPartnersFile_StopsNamingTheLine()
    {
        var dir = Directory.CreateTempSubdirectory("hotline-partners-").FullName;
        var file = Path.Combine(dir, "partners.yaml");
        await File.WriteAllTextAsync(file, "partners:\n  - id: a\n    name: A\n    kind: klinik\n    contact: \"+6281100000101\"\n    serves: [food]\n    areas: [\"33.02\"]\n");
        var settings = HotlineProcess.ProductionSettings(dir, HotlineProcess.FreePort());
        settings["Hotline__PartnersFile"] = file;

        var (code, _, errors) = await HotlineProcess.RunAsync(dir, settings);

        Assert.That(code, Is.EqualTo(1));
        Assert.That(errors, Does.Contain("partners.yaml:2: kind 'klinik' is not one of").And.Not.Contain("   at "));
        Directory.Delete(dir, recursive: true);
    }

    [Test]
    public async Task Import_ABrokenFile_ChangesNothing()
    {
        using var host = new HotlineHost();
        host.CreateClient().Dispose();
        var before = await Partners(host);
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "partners:\n  - id: only-one\n    name: X\n    kind: other\n    contact: \"+6281100000101\"\n    serves: [food]\n    areas: [\"99.99\"]\n");

        var result = await host.Services.GetRequiredService<PartnersImport>().ImportAsync(file, CancellationToken.None);

        Assert.That(result.Errors, Has.Count.EqualTo(1));
        Assert.That(await Partners(host), Is.EqualTo(before), "no partial import");
        File.Delete(file);
    }

    [Test]
    public async Task Import_AFileWithoutSomePartner_DeactivatesItButKeepsItsHistory()
    {
        using var host = new HotlineHost();
        host.CreateClient().Dispose();
        var file = Path.GetTempFileName();
        File.WriteAllLines(file, File.ReadAllLines(RepoFiles.Path("deploy", "partners.demo.yaml"))
            .TakeWhile(l => !l.Contains("id: relawan-sokaraja", StringComparison.Ordinal)));

        var result = await host.Services.GetRequiredService<PartnersImport>().ImportAsync(file, CancellationToken.None);

        Assert.That(result.Errors, Is.Empty);
        var partners = await Partners(host);
        Assert.That(partners, Has.Count.EqualTo(7));
        Assert.That(partners.Single(p => p.Id == "relawan-sokaraja").Active, Is.Zero);
        Assert.That(partners.Where(p => p.Id != "relawan-sokaraja").Select(p => p.Active), Is.All.EqualTo(1));
        File.Delete(file);
    }
}
