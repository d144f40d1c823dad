using HotlineBot.Storage;
using Npgsql;

namespace HotlineBot.Dashboard;

/// <summary>
/// Live updates across instances on one PostgreSQL: a signal here becomes a <c>NOTIFY hotline_live</c> (at most four a
/// second, however busy the webhooks are), and a <c>LISTEN</c> on a connection of its own hands the other instances'
/// signals to this instance's pages. A lost connection is opened again; meanwhile the pages' own timer re-reads.
/// </summary>
public sealed partial class PostgresLiveUpdates(PostgresDatabase database, LiveUpdates live, ILogger<PostgresLiveUpdates> logger) : BackgroundService
{
    private const string Channel = "hotline_live";
    private static readonly TimeSpan Gap = TimeSpan.FromMilliseconds(250);
    private readonly string _instance = Guid.NewGuid().ToString("N");
    private int _pending;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        live.Relay = () => Interlocked.Exchange(ref _pending, 1);
        var notifier = NotifyLoopAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await database.DataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) => { if (e.Payload != _instance) live.Deliver(); };
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection)) await listen.ExecuteNonQueryAsync(stoppingToken);
                while (!stoppingToken.IsCancellationRequested) await connection.WaitAsync(stoppingToken);
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
            {
                LogListenFailed(logger, e);
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            }
        }
        await notifier;
    }

    private async Task NotifyLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Gap, ct);
                if (Interlocked.Exchange(ref _pending, 0) == 0) continue;
                await using var connection = await database.DataSource.OpenConnectionAsync(ct);
                await using var notify = new NpgsqlCommand("SELECT pg_notify(@Channel, @Instance)", connection);
                notify.Parameters.AddWithValue("Channel", Channel);
                notify.Parameters.AddWithValue("Instance", _instance);
                await notify.ExecuteNonQueryAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
            {
                LogNotifyFailed(logger, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for other instances' live updates failed; trying again in 5 s")]
    private static partial void LogListenFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telling other instances of a live update failed")]
    private static partial void LogNotifyFailed(ILogger logger, Exception exception);
}
