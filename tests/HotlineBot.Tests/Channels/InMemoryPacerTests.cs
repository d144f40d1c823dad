using HotlineBot.Channels;
using HotlineBot.Storage;
using HotlineBot.Tests.Storage;
using Microsoft.Data.Sqlite;

namespace HotlineBot.Tests.Channels;

/// <summary>The in-memory pacer (SQLite) takes a slot for good only when the claim that took it commits: the writer runs a
/// group commit again when one of its writes fails, and a claim may fail itself.</summary>
public sealed class InMemoryPacerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(20);
    private string _folder = "";
    private SqliteDatabase _database = null!;
    private Pacer _pacer = null!;

    [SetUp]
    public void SetUp()
    {
        _folder = Directory.CreateTempSubdirectory("pacer-").FullName;
        _database = new SqliteDatabase("Data Source=p.db", _folder);
        var options = new PacingOptions { ContactGap = TimeSpan.Zero };
        options.PerSecond["twilio"] = 1;
        _pacer = new Pacer(Microsoft.Extensions.Options.Options.Create(options), _database);
    }

    [TearDown]
    public async Task TearDown()
    {
        await _database.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private Task<TimeSpan> Reserve(string contact) =>
        _database.WriteAsync(tx => _pacer.ReserveAsync(tx, "twilio", contact, 1, Now, MaxWait), CancellationToken.None);

    [Test]
    public async Task TwoSendsInOneTransaction_AreASlotApart_AndTheNextCommitsAfterBoth()
    {
        var both = await _database.WriteAsync(async tx =>
            (await _pacer.ReserveAsync(tx, "twilio", "tel:+6281200000001", 1, Now, MaxWait), await _pacer.ReserveAsync(tx, "twilio", "tel:+6281200000002", 1, Now, MaxWait)),
            CancellationToken.None);

        Assert.That(both, Is.EqualTo((TimeSpan.Zero, TimeSpan.FromSeconds(1))));
        Assert.That(await Reserve("tel:+6281200000003"), Is.EqualTo(TimeSpan.FromSeconds(2)));
    }

    [Test]
    public async Task TheSlotOfAClaimThatFails_IsNotTaken()
    {
        var failing = _database.WriteAsync<int>(async tx =>
        {
            await _pacer.ReserveAsync(tx, "twilio", "tel:+6281200000001", 1, Now, MaxWait);
            throw new InvalidOperationException("boom");
        }, CancellationToken.None);
        Assert.That(async () => await failing, Throws.InvalidOperationException);

        Assert.That(await Reserve("tel:+6281200000002"), Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public async Task ClaimsInAGroupCommitThatRanAgain_TakeOneSlotEach()
    {
        var writer = await HeldWriter.HoldAsync(_database);     // what follows goes in one batch
        var first = Reserve("tel:+6281200000001");
        var second = Reserve("tel:+6281200000002");
        var failing = _database.WriteAsync<int>(_ => throw new InvalidOperationException("boom"), CancellationToken.None);
        await writer.ReleaseAsync();

        Assert.That(await first, Is.EqualTo(TimeSpan.Zero));
        Assert.That(await second, Is.EqualTo(TimeSpan.FromSeconds(1)), "two claims of one batch: a slot apart");
        Assert.That(async () => await failing, Throws.InvalidOperationException);
        Assert.That(_database.BatchesRunAgain, Is.EqualTo(1), "the claims' batch ran again");
        Assert.That(await Reserve("tel:+6281200000003"), Is.EqualTo(TimeSpan.FromSeconds(2)), "the slot after theirs, not after the first run's too");
    }
}
