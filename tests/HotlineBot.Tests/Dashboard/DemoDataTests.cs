using Dapper;
using HotlineBot.Dashboard;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests.Dashboard;

[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed class DemoDataTests(string engine)
{
    [Test]
    public async Task Seed_ThreeSimulatedCases_OneAccepted_AndOnlyOnce()
    {
        using var host = new HotlineHost(new() { [DemoData.Setting] = "true" }, engine: engine);
        _ = host.Services;

        await using var db = await host.OpenAsync();
        var cases = (await db.QueryAsync<(string Status, string Flags, string Needs)>("SELECT status, flags, needs FROM cases ORDER BY id")).ToList();
        Assert.That(cases, Has.Count.EqualTo(3));
        Assert.That(cases.Select(c => c.Flags), Has.All.Contains("simulated"));
        Assert.That(cases[0].Status, Is.EqualTo("accepted"));
        Assert.That(cases.Select(c => c.Needs), Has.Some.Contains("food"));
        Assert.That(cases.Select(c => c.Flags), Has.Some.Contains("urgent"));
        Assert.That(await db.ExecuteScalarAsync<long>("""
            SELECT count(*) FROM messages m JOIN contacts k ON k.id = m.contact_id WHERE m.direction = 'out' AND k.address NOT LIKE 'sim:%'
            """), Is.Zero, "nothing to a real phone");

        Assert.That(await host.Services.GetRequiredService<DemoData>().SeedAsync(CancellationToken.None), Is.Empty, "not again once there are cases");
    }

    [Test]
    public async Task Seed_TwoAtOnce_SeedOnce()
    {
        // Two instances starting together on an empty database: each seeds unless the seed is one at a time.
        using var host = new HotlineHost(engine: engine);
        var demo = host.Services.GetRequiredService<DemoData>();

        var seeded = await Task.WhenAll(demo.SeedAsync(CancellationToken.None), demo.SeedAsync(CancellationToken.None));

        await using var db = await host.OpenAsync();
        Assert.That(await db.ExecuteScalarAsync<long>("SELECT count(*) FROM cases"), Is.EqualTo(3));
        Assert.That(seeded.Select(s => s.Count).Order(), Is.EqualTo(new[] { 0, 3 }));
    }
}
