using System.Collections.Concurrent;
using Hangfire;

namespace HotlineBot.Jobs;

/// <summary>
/// Starts the delivery of outbox messages in this process, once their rows are committed: a few workers run
/// <see cref="DeliverMessageJob"/> for each posted id, a contact's next message (<see cref="PostNext"/>) before new
/// ones. A Hangfire job per message cost more than the message's own work — on PostgreSQL several transactions, each
/// with its fsync, on the webhook's path — and the database, not the job store, is the record of what is pending:
/// what a crash or a stop leaves behind (a posted id, a timer for a pacing slot or a retry) is found by the minutely
/// sweep (<see cref="SweepOutboxJob"/>) and the lease of a claimed row. Runs where background work runs
/// (<c>Hangfire:Server</c>); an instance without it hands each message to Hangfire's queues for another instance.
/// </summary>
public sealed partial class OutboxDispatcher(IServiceScopeFactory scopes, IBackgroundJobClient jobs, TimeProvider time, IConfiguration configuration,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private readonly ConcurrentQueue<long> _next = new();
    private readonly ConcurrentQueue<long> _new = new();
    private readonly SemaphoreSlim _ready = new(0);
    private readonly bool _here = configuration.GetValue("Hangfire:Server", defaultValue: true);
    private CancellationToken _stopping = CancellationToken.None;

    /// <summary>How many messages are sent at once (<c>Outbox:Workers</c>).</summary>
    private int Workers => Math.Max(1, configuration.GetValue("Outbox:Workers", 16));

    /// <summary>A message just committed.</summary>
    public void Post(long id)
    {
        if (!_here)
        {
            jobs.Enqueue<DeliverMessageJob>(j => j.RunAsync(id, CancellationToken.None));
            return;
        }
        _new.Enqueue(id);
        _ready.Release();
    }

    /// <summary>A contact's next message (or a message back in the queue), due after <paramref name="wait"/>: ahead of
    /// new messages, so a busy contact's line moves at its own pace however many messages a flood makes meanwhile.</summary>
    public void PostNext(long id, TimeSpan wait)
    {
        if (!_here)
        {
            if (wait <= TimeSpan.Zero) jobs.Enqueue<DeliverMessageJob>(j => j.RunAsync(id, CancellationToken.None));
            else jobs.Schedule<DeliverMessageJob>(j => j.RunAsync(id, CancellationToken.None), wait);
            return;
        }
        if (wait > TimeSpan.Zero)
        {
            _ = LaterAsync(id, wait);
            return;
        }
        _next.Enqueue(id);
        _ready.Release();
    }

    private async Task LaterAsync(long id, TimeSpan wait)
    {
        try
        {
            await Task.Delay(wait, time, _stopping);
        }
        catch (OperationCanceledException)
        {
            return;     // stopping: the sweep of the next start finds the row when it is due
        }
        PostNext(id, TimeSpan.Zero);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        return _here ? Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(() => WorkAsync(stoppingToken), CancellationToken.None))) : Task.CompletedTask;
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _ready.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (!_next.TryDequeue(out var id) && !_new.TryDequeue(out id)) continue;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<DeliverMessageJob>().RunAsync(id, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The row is still queued (or claimed, until its lease ends): the sweep tries it again.
                LogFailed(logger, id, e);
            }
        }
    }

    public override void Dispose()
    {
        _ready.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivering outbox message {Id} failed; the outbox sweep tries it again")]
    private static partial void LogFailed(ILogger logger, long id, Exception exception);
}
