using HotlineBot.Storage;

namespace HotlineBot.Tests.Storage;

/// <summary>The SQLite writer held inside a write of its own until released: the writes queued meanwhile go in its next
/// batch together (fewer than the batch's most, 64), to test what a group commit does with them.</summary>
internal sealed class HeldWriter
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task<int> _held = Task.FromResult(0);

    public static async Task<HeldWriter> HoldAsync(SqliteDatabase database)
    {
        var writer = new HeldWriter();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        writer._held = database.WriteAsync(async _ =>
        {
            started.TrySetResult();
            await writer._gate.Task;
            return 0;
        }, CancellationToken.None);
        await started.Task;      // its batch is formed: what is queued from now on waits for the next one
        return writer;
    }

    /// <summary>Lets the held write commit; the writes queued meanwhile then run as one batch.</summary>
    public async Task ReleaseAsync()
    {
        _gate.SetResult();
        await _held;
    }
}
