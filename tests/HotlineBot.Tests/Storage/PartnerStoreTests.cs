using Dapper;
using HotlineBot.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests.Storage;

/// <summary>
/// Routing reads the active partners for every new case, on the writer. They are kept in memory and read again only
/// when the table changed, whoever changed it (the dashboard, an import, another instance, a hand edit in SQL), and
/// never from a write that was rolled back.
/// </summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed class PartnerStoreTests(string engine)
{
    private HotlineHost _host = null!;
    private Database Database => _host.Services.GetRequiredService<Database>();
    private PartnerStore Partners => _host.Services.GetRequiredService<PartnerStore>();

    [SetUp]
    public void SetUp()
    {
        _host = new HotlineHost(engine: engine);
        _host.CreateClient().Dispose();
    }

    [TearDown]
    public void TearDown() => _host.Dispose();

    private Task<IReadOnlyList<Core.Routing.Partner>> ActiveAsync() => Database.WriteAsync(tx => Partners.ListActiveAsync(tx), CancellationToken.None);

    [Test]
    public async Task ActivePartners_AreReadOnce_UntilTheTableChanges_ByAnyone()
    {
        var first = await ActiveAsync();
        var reads = Partners.Reads;
        Assert.That(await ActiveAsync(), Is.EqualTo(first));
        Assert.That(Partners.Reads, Is.EqualTo(reads), "unchanged: from memory");

        // A change the service did not make: a hand edit on another connection.
        await using (var connection = await _host.OpenAsync())
            await connection.ExecuteAsync("UPDATE partners SET name = 'Puskesmas Baru' WHERE id = @Id", new { first[0].Id });
        var renamed = await ActiveAsync();
        Assert.That(renamed.Single(p => p.Id == first[0].Id).Name, Is.EqualTo("Puskesmas Baru"));
        Assert.That(Partners.Reads, Is.EqualTo(reads + 1));

        await using (var connection = await _host.OpenAsync())
            await connection.ExecuteAsync("DELETE FROM partners WHERE id = @Id", new { first[0].Id });
        Assert.That((await ActiveAsync()).Select(p => p.Id), Does.Not.Contain(first[0].Id));
    }

    [Test]
    public async Task WhatARolledBackWriteSaw_IsNeverKept()
    {
        var before = await ActiveAsync();
        var fail = Database.WriteAsync<int>(async tx =>
        {
            await tx.Connection!.ExecuteAsync("UPDATE partners SET name = 'Tidak Jadi' WHERE id = @Id", new { before[0].Id }, tx);
            Assert.That((await Partners.ListActiveAsync(tx)).Single(p => p.Id == before[0].Id).Name, Is.EqualTo("Tidak Jadi"), "the write sees its own change");
            throw new InvalidOperationException("rolled back");
        }, CancellationToken.None);
        Assert.ThrowsAsync<InvalidOperationException>(() => fail);

        Assert.That((await ActiveAsync()).Single(p => p.Id == before[0].Id).Name, Is.EqualTo(before[0].Name));
        // The same version number again, with other rows: what the rolled-back write read is not taken for them.
        await using (var connection = await _host.OpenAsync())
            await connection.ExecuteAsync("UPDATE partners SET name = 'Sungguhan' WHERE id = @Id", new { before[0].Id });
        Assert.That((await ActiveAsync()).Single(p => p.Id == before[0].Id).Name, Is.EqualTo("Sungguhan"));
    }
}
