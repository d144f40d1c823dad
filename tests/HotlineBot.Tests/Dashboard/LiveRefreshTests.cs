using HotlineBot.Dashboard;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HotlineBot.Tests.Dashboard;

/// <summary>
/// An open page's refreshes under change signals: never on the signalling thread (a webhook's, right after its commit),
/// one at a time, a burst folded into one more refresh after the gap, a slow refresh followed by a longer rest, nothing
/// after the page closed. The gap runs on a fake clock here.
/// </summary>
public sealed class LiveRefreshTests
{
    private static readonly TimeSpan Gap = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _clock = new();

    [ThreadStatic] private static bool t_signalling;

    /// <summary>A page whose refresh waits until the test lets it finish; each start is announced.</summary>
    private sealed class Page : IDisposable
    {
        public readonly SemaphoreSlim Started = new(0);
        public TaskCompletionSource Finish = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public bool RanInsideSignal;

        public async Task RefreshAsync()
        {
            RanInsideSignal |= t_signalling;
            Started.Release();
            await Finish.Task;
            Finish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        public void Dispose() => Started.Dispose();
    }

    private LiveRefresh Live(Page page) => new(page.RefreshAsync, Gap, _clock, NullLogger.Instance);

    /// <summary>The page's refresher, signalled once: its first refresh has begun and waits on <see cref="Page.Finish"/>.</summary>
    private async Task<LiveRefresh> RefreshingAsync(Page page)
    {
        var live = Live(page);
        Signal(live);
        Assert.That(await page.Started.WaitAsync(Patience), "the first refresh began");
        return live;
    }

    private static void Signal(LiveRefresh live)
    {
        t_signalling = true;
        try
        {
            live.Signal();
        }
        finally
        {
            t_signalling = false;
        }
    }

    [Test]
    public async Task ASignal_ReturnsAtOnce_TheRefreshRunsOnAnotherThread()
    {
        using var page = new Page();
        var live = Live(page);

        Signal(live);   // returns before the refresh began, or the refresh began on another thread

        Assert.That(await page.Started.WaitAsync(Patience), "the refresh began");
        Assert.That(page.RanInsideSignal, Is.False);
        page.Finish.SetResult();
    }

    [Test]
    public async Task ABurstDuringARefresh_IsOneMoreRefresh_AfterTheGap()
    {
        using var page = new Page();
        var live = await RefreshingAsync(page);

        for (var i = 0; i < 1000; i++) Signal(live);
        page.Finish.SetResult();
        await WaitUntilAsync(() => live.IsWaiting);

        Assert.That(await page.Started.WaitAsync(TimeSpan.FromMilliseconds(200)), Is.False, "not before the gap");
        Assert.That(await AdvanceUntilStartedAsync(page, Gap), Is.LessThanOrEqualTo(Gap * 2), "one more after the gap");
        page.Finish.SetResult();

        _clock.Advance(Gap * 10);
        Assert.That(await page.Started.WaitAsync(TimeSpan.FromMilliseconds(200)), Is.False, "and no more");
        Assert.That(live.Runs, Is.EqualTo(2));
    }

    [Test]
    public async Task ASignalAfterARefresh_WaitsOutTheGap_ASignalLongAfterRunsAtOnce()
    {
        using var page = new Page();
        var live = await RefreshingAsync(page);
        page.Finish.SetResult();
        await WaitUntilAsync(() => IsIdle(live));

        _clock.Advance(Gap / 5);
        Signal(live);
        Signal(live);
        Assert.That(await page.Started.WaitAsync(TimeSpan.FromMilliseconds(200)), Is.False, "the gap is counted from the last refresh");
        Assert.That(await AdvanceUntilStartedAsync(page, Gap - Gap / 5), Is.LessThanOrEqualTo((Gap - Gap / 5) * 2));
        page.Finish.SetResult();
        await WaitUntilAsync(() => IsIdle(live));

        _clock.Advance(Gap * 4);
        Signal(live);
        Assert.That(await page.Started.WaitAsync(Patience), "long after the last one: at once");
        page.Finish.SetResult();
        Assert.That(live.Runs, Is.EqualTo(3));
    }

    [Test]
    public async Task ASlowRefresh_IsFollowedByARestFourTimesAsLong()
    {
        using var page = new Page();
        var live = await RefreshingAsync(page);
        _clock.Advance(TimeSpan.FromSeconds(1));      // the refresh takes a second (a big table, a busy machine)
        Signal(live);
        page.Finish.SetResult();
        await WaitUntilAsync(() => live.IsWaiting);

        _clock.Advance(TimeSpan.FromSeconds(3.9));
        Assert.That(await page.Started.WaitAsync(TimeSpan.FromMilliseconds(200)), Is.False, "not after the gap alone: four times its cost");
        Assert.That(await AdvanceUntilStartedAsync(page, TimeSpan.FromSeconds(0.1)), Is.LessThanOrEqualTo(TimeSpan.FromSeconds(0.2)));
        page.Finish.SetResult();
        Assert.That(live.Runs, Is.EqualTo(2));
    }

    [Test]
    public async Task AClosedPage_RefreshesNoMore_NotEvenTheOneWaitingForItsTurn()
    {
        using var page = new Page();
        var live = await RefreshingAsync(page);
        Signal(live);                   // due after the gap
        page.Finish.SetResult();

        live.Stop();
        _clock.Advance(Gap * 4);
        Signal(live);

        Assert.That(await page.Started.WaitAsync(TimeSpan.FromMilliseconds(300)), Is.False);
        Assert.That(live.Runs, Is.EqualTo(1));
    }

    [Test]
    public async Task AFailingRefresh_IsLogged_AndTheNextSignalTriesAgain()
    {
        var runs = 0;
        var logs = new Microsoft.Extensions.Logging.Testing.FakeLogger();
        using var again = new SemaphoreSlim(0);
        var live = new LiveRefresh(() =>
        {
            runs++;
            again.Release();
            return runs == 1 ? Task.FromException(new InvalidOperationException("database gone")) : Task.CompletedTask;
        }, Gap, _clock, logs);

        live.Signal();
        Assert.That(await again.WaitAsync(Patience));
        await WaitUntilAsync(() => logs.Collector.Count == 1 && IsIdle(live));
        _clock.Advance(Gap);
        live.Signal();

        Assert.That(await again.WaitAsync(Patience));
        Assert.That(logs.Collector.LatestRecord.Message, Is.EqualTo("A dashboard page failed to refresh"));
        Assert.That(logs.Collector.LatestRecord.Exception, Is.TypeOf<InvalidOperationException>());
    }

    private static bool IsIdle(LiveRefresh live) => live.IsIdle;

    /// <summary>Moves the clock by <paramref name="step"/> until the page's next refresh begins; how far it moved: one
    /// step, or two should the refresh's wait have begun on the fake clock just after a move.</summary>
    private async Task<TimeSpan> AdvanceUntilStartedAsync(Page page, TimeSpan step)
    {
        var moved = TimeSpan.Zero;
        for (var i = 0; i < 50; i++)
        {
            _clock.Advance(step);
            moved += step;
            if (await page.Started.WaitAsync(TimeSpan.FromMilliseconds(200))) return moved;
        }
        Assert.Fail("the refresh never began");
        return moved;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var until = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > until) Assert.Fail("timed out");
            await Task.Delay(5);
        }
    }
}
