using Dapper;
using HotlineBot.Dashboard;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests.Dashboard;

public sealed class DemoDataTests
{
    [Test]
    public async Task Seed_ThreeSimulatedCases_OneAccepted_AndOnlyOnce()
    {
        using var host = new HotlineHost(new() { [DemoData.Setting] = "true" });
        _ = host.Services;

        await using var db = new SqliteConnection($"Data Source={host.DatabasePath}");
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
}
