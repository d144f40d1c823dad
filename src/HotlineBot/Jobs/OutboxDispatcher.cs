using Hangfire;
using HotlineBot.Storage;

namespace HotlineBot.Jobs;

/// <summary>
/// Starts the delivery of outbox messages in this process, once their rows are committed: a few workers run
/// <see cref="DeliverMessageJob"/> for each posted message. A Hangfire job per message cost more than the message's own
/// work — on PostgreSQL several transactions, each with its fsync, on the webhook's path — and the database, not the job
/// store, is the record of what is pending: what a crash or a stop leaves behind (a posted id, a timer for a pacing slot
/// or a retry) is found by the minutely sweep (<see cref="SweepOutboxJob"/>) and the lease of a claimed row. Runs where
/// background work runs (<c>Hangfire:Server</c>); an instance without it hands each message to Hangfire's queues for
/// another instance.
/// <para>Messages to one contact leave one at a time, in order (DESIGN.md §2), so each contact has a line here: one
/// message of it runs at a time, the oldest first, and a line whose message is done goes next (<see cref="PostNext"/>)
/// ahead of lines that are new, so a busy contact moves at its own pace however many messages a flood makes meanwhile.
/// Handing every posted message to a run at once made most of a busy partner's runs find an earlier message still
/// being sent and do nothing, each a transaction on PostgreSQL. The line only saves those runs: the job itself still
/// checks the order in the database, which also holds for messages another instance sends.</para>
/// </summary>
public sealed partial class OutboxDispatcher(IServiceScopeFactory scopes, IBackgroundJobClient jobs, TimeProvider time, IConfiguration configuration,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private readonly Lock _gate = new();
    /// <summary>Each contact's messages posted here and not yet run, oldest first. A contact has a line while one of its
    /// messages runs or its line waits in <see cref="_next"/> or <see cref="_new"/>; a line left empty is removed.</summary>
    private readonly Dictionary<long, SortedSet<long>> _lines = [];
    private readonly Queue<long> _next = new();     // contacts whose line goes on after a message of theirs
    private readonly Queue<long> _new = new();      // contacts whose line starts
    private readonly SemaphoreSlim _ready = new(0);
    private readonly bool _here = configuration.GetValue("Hangfire:Server", defaultValue: true);
    private CancellationToken _stopping = CancellationToken.None;

    /// <summary>How many messages are sent at once (<c>Outbox:Workers</c>): one per contact at a time.</summary>
    private int Workers => Math.Max(1, configuration.GetValue("Outbox:Workers", 16));

    /// <summary>A message just committed (or found due by the sweep, or queued again by an officer).</summary>
    public void Post(QueuedMessage message)
    {
        if (!_here)
        {
            jobs.Enqueue<DeliverMessageJob>(j => j.RunAsync(message.Id, CancellationToken.None));
            return;
        }
        Add(message, _new);
    }

    /// <summary>A contact's next message (or a message back in the queue), due after <paramref name="wait"/>: its line
    /// goes ahead of new ones.</summary>
    public void PostNext(QueuedMessage message, TimeSpan wait)
    {
        if (!_here)
        {
            if (wait <= TimeSpan.Zero) jobs.Enqueue<DeliverMessageJob>(j => j.RunAsync(message.Id, CancellationToken.None));
            else jobs.Schedule<DeliverMessageJob>(j => j.RunAsync(message.Id, CancellationToken.None), wait);
            return;
        }
        if (wait > TimeSpan.Zero)
        {
            _ = LaterAsync(message, wait);
            return;
        }
        Add(message, _next);
    }

    private void Add(QueuedMessage message, Queue<long> ready)
    {
        lock (_gate)
        {
            if (_lines.TryGetValue(message.ContactId, out var line))
            {
                line.Add(message.Id);           // its turn comes when the message running now is done; posted twice, runs once
                return;
            }
            _lines[message.ContactId] = [message.Id];
            ready.Enqueue(message.ContactId);
        }
        _ready.Release();
    }

    private async Task LaterAsync(QueuedMessage message, TimeSpan wait)
    {
        try
        {
            await Task.Delay(wait, time, _stopping);
        }
        catch (OperationCanceledException)
        {
            return;     // stopping: the sweep of the next start finds the row when it is due
        }
        PostNext(message, TimeSpan.Zero);
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
            long contact, id;
            lock (_gate)
            {
                if (!_next.TryDequeue(out contact) && !_new.TryDequeue(out contact)) continue;
                var line = _lines[contact];
                id = line.Min;
                line.Remove(id);
            }
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
            lock (_gate)
            {
                if (_lines[contact].Count == 0)
                {
                    _lines.Remove(contact);
                    continue;
                }
                _next.Enqueue(contact);
            }
            if (stoppingToken.IsCancellationRequested) return;     // what is left is found by the next start's sweep
            _ready.Release();
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
