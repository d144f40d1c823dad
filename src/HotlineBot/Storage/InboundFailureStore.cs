using Dapper;
using HotlineBot.Core.Indonesia;

namespace HotlineBot.Storage;

/// <summary>Webhook items whose processing keeps failing: counted across the provider's retries of one id, and parked
/// after a few failures (shown to the duty officers, answered, never retried forever).</summary>
public sealed class InboundFailureStore(Database database)
{
    /// <summary>Tries before a message is parked when its provider retries webhooks; one when it does not (Twilio).</summary>
    public const int ParkAfter = 3;

    private const string SqlRecord = """
        INSERT INTO inbound_failures (provider, provider_message_id, contact_address, body, attempts, last_error, first_at, last_at, parked_at)
        VALUES (@Provider, @Id, @Address, @Body, 1, @Error, @Now, @Now, CASE WHEN 1 >= @ParkAfter THEN @Now END)
        ON CONFLICT (provider, provider_message_id) DO UPDATE SET
            attempts = inbound_failures.attempts + 1, last_error = excluded.last_error, last_at = excluded.last_at,
            parked_at = coalesce(inbound_failures.parked_at, CASE WHEN inbound_failures.attempts + 1 >= @ParkAfter THEN excluded.last_at END)
        RETURNING attempts AS Attempts, parked_at IS NOT NULL AS Parked
        """;

    /// <summary>Counts one more failure of this item in its own transaction (the failed one rolled back), parking it
    /// at <paramref name="parkAfter"/> failures. The error is a type name and a short reason, never a message text.</summary>
    public Task<FailureCount> RecordAsync(string provider, string providerMessageId, string contactAddress, string body, string error, long now,
        int parkAfter, CancellationToken ct) =>
        database.WriteAsync(tx => tx.Connection!.QuerySingleAsync<FailureCount>(SqlRecord, new
        {
            Provider = provider, Id = providerMessageId, Address = contactAddress, Body = NikRedactor.Redact(body),
            Error = error.Length > 200 ? error[..200] : error, Now = now, ParkAfter = parkAfter,
        }, tx), ct);

    private const string SqlParked = """
        SELECT id AS Id, provider AS Provider, provider_message_id AS ProviderMessageId, contact_address AS ContactAddress,
               body AS Body, attempts AS Attempts, last_error AS LastError, parked_at AS ParkedAt
        FROM inbound_failures WHERE parked_at IS NOT NULL AND contact_address <> '' ORDER BY parked_at DESC, id DESC LIMIT @Limit
        """;

    /// <summary>The parked messages (not delivery reports: no one to contact about those), newest first.</summary>
    public async Task<IReadOnlyList<ParkedRow>> ParkedAsync(int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<ParkedRow>(new CommandDefinition(SqlParked, new { Limit = limit }, cancellationToken: ct))).AsList();
    }


    private const string SqlPurge = "DELETE FROM inbound_failures WHERE last_at < @Cutoff";

    /// <summary>Retention (DESIGN.md §6): failures last seen before <paramref name="cutoff"/> go, texts and all.</summary>
    public Task<int> PurgeAsync(System.Data.Common.DbTransaction tx, long cutoff) =>
        tx.Connection!.ExecuteAsync(SqlPurge, new { Cutoff = cutoff }, tx);
}

public sealed class FailureCount
{
    public long Attempts { get; init; }
    public bool Parked { get; init; }
}

public sealed class ParkedRow
{
    public long Id { get; init; }
    public string Provider { get; init; } = "";
    public string ProviderMessageId { get; init; } = "";
    public string ContactAddress { get; init; } = "";
    public string Body { get; init; } = "";
    public long Attempts { get; init; }
    public string LastError { get; init; } = "";
    public long ParkedAt { get; init; }
}
