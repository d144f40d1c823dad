using Dapper;
using HotlineBot.Core.Indonesia;

namespace HotlineBot.Storage;

/// <summary>Webhook items whose processing keeps failing: counted across the provider's retries of one id, and parked
/// after <see cref="ParkAfter"/> failures (shown to the duty officers, answered, never retried forever).</summary>
public sealed class InboundFailureStore(Database database)
{
    public const int ParkAfter = 3;

    private const string SqlRecord = """
        INSERT INTO inbound_failures (provider, provider_message_id, contact_address, body, attempts, last_error, first_at, last_at, parked_at)
        VALUES (@Provider, @Id, @Address, @Body, 1, @Error, @Now, @Now, CASE WHEN 1 >= @ParkAfter THEN @Now END)
        ON CONFLICT (provider, provider_message_id) DO UPDATE SET
            attempts = inbound_failures.attempts + 1, last_error = excluded.last_error, last_at = excluded.last_at,
            parked_at = coalesce(inbound_failures.parked_at, CASE WHEN inbound_failures.attempts + 1 >= @ParkAfter THEN excluded.last_at END)
        RETURNING parked_at IS NOT NULL
        """;

    /// <summary>Counts one more failure of this item in its own transaction (the failed one rolled back); true when it
    /// is now parked. The error is a type name and a short reason, never a message text.</summary>
    public Task<bool> RecordAsync(string provider, string providerMessageId, string contactAddress, string body, string error, long now,
        CancellationToken ct) =>
        database.WriteAsync(tx => tx.Connection!.ExecuteScalarAsync<bool>(SqlRecord, new
        {
            Provider = provider, Id = providerMessageId, Address = contactAddress, Body = NikRedactor.Redact(body),
            Error = error.Length > 200 ? error[..200] : error, Now = now, ParkAfter,
        }, tx), ct);

    private const string SqlParked = """
        SELECT id AS Id, provider AS Provider, provider_message_id AS ProviderMessageId, contact_address AS ContactAddress,
               body AS Body, attempts AS Attempts, last_error AS LastError, parked_at AS ParkedAt
        FROM inbound_failures WHERE parked_at IS NOT NULL ORDER BY parked_at DESC, id DESC LIMIT @Limit
        """;

    public async Task<IReadOnlyList<ParkedRow>> ParkedAsync(int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<ParkedRow>(new CommandDefinition(SqlParked, new { Limit = limit }, cancellationToken: ct))).AsList();
    }
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
