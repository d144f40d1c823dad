using System.Data.Common;
using Dapper;

namespace HotlineBot.Storage;

public sealed class ContactRow
{
    public long Id { get; init; }
    public string Address { get; init; } = "";
    public string Channel { get; init; } = "";
    public string Language { get; init; } = "id";
    public bool OptedOut { get; init; }
}

/// <summary>People who text the hotline, one row per address (<c>tel:+62…</c>, <c>whatsapp:+62…</c>).</summary>
public sealed class ContactStore
{
    // The upsert also takes the contact's row lock on PostgreSQL (until commit): messages from one sender apply one at a
    // time, and the pipeline checks for a retried message id only after it.
    private const string SqlUpsert = """
        INSERT INTO contacts (address, channel, last_inbound_at, created_at, updated_at) VALUES (@Address, @Channel, @Inbound, @Now, @Now)
        ON CONFLICT (address) DO UPDATE SET updated_at = excluded.updated_at, last_inbound_at = coalesce(excluded.last_inbound_at, contacts.last_inbound_at)
        RETURNING id AS Id, address AS Address, channel AS Channel, language AS Language, opted_out AS OptedOut
        """;

    /// <param name="inbound">True when the contact just wrote to us (it opens WhatsApp's 24-hour window).</param>
    public Task<ContactRow> UpsertAsync(DbTransaction tx, string address, string channel, long now, bool inbound = false) =>
        tx.Connection!.QuerySingleAsync<ContactRow>(SqlUpsert, new { Address = address, Channel = channel, Now = now, Inbound = inbound ? now : (long?)null }, tx);

    private const string SqlCreateIfNew = """
        INSERT INTO contacts (address, channel, created_at, updated_at) VALUES (@Address, @Channel, @Now, @Now)
        ON CONFLICT (address) DO NOTHING
        """;
    private const string SqlByAddress = """
        SELECT id AS Id, address AS Address, channel AS Channel, language AS Language, opted_out AS OptedOut FROM contacts WHERE address = @Address
        """;

    /// <summary>A contact we write to (a partner, a reporter, an officer): found or created, without taking its lock.
    /// Only the contact a message came from is locked, so locks are always taken sender first, then case, and two
    /// writers never wait on each other's recipients (no deadlock between two partners' codes on one case).</summary>
    public async Task<ContactRow> RecipientAsync(DbTransaction tx, string address, string channel, long now)
    {
        // A plain read first: it never waits, even while the contact's own message holds its row. Only a new contact is
        // inserted (and an insert that meets another's uncommitted row would wait for it).
        if (await tx.Connection!.QuerySingleOrDefaultAsync<ContactRow>(SqlByAddress, new { Address = address }, tx) is { } known) return known;
        await tx.Connection!.ExecuteAsync(SqlCreateIfNew, new { Address = address, Channel = channel, Now = now }, tx);
        return await tx.Connection!.QuerySingleAsync<ContactRow>(SqlByAddress, new { Address = address }, tx);
    }

    private const string SqlFindByExternalId = "SELECT id AS Id, address AS Address FROM contacts WHERE external_id = @ExternalId";
    private const string SqlReleaseExternalId = "UPDATE contacts SET external_id = NULL WHERE external_id = @ExternalId AND id <> @Id";
    private const string SqlSetExternalId = "UPDATE contacts SET external_id = @ExternalId WHERE id = @Id";

    /// <summary>
    /// The contact a message came from, whose 24-hour window it opens. When the message carries WhatsApp's
    /// business-scoped user id, that id decides who it is: a message without
    /// a phone number (a username user: <c>whatsapp:ID.…</c>) belongs to the contact that id was last seen with, so a
    /// reporter keeps their conversation and cases when they hide their number; a message with a number records the id
    /// on that number's contact.
    /// </summary>
    public async Task<ContactRow> UpsertInboundAsync(DbTransaction tx, string address, string channel, long now, string? externalId)
    {
        if (externalId is null) return await UpsertAsync(tx, address, channel, now, inbound: true);
        var known = await tx.Connection!.QuerySingleOrDefaultAsync<(long Id, string Address)?>(SqlFindByExternalId, new { ExternalId = externalId }, tx);
        var hasNumber = address.StartsWith("whatsapp:+", StringComparison.Ordinal);
        var contact = await UpsertAsync(tx, hasNumber || known is null ? address : known.Value.Address, channel, now, inbound: true);
        if (known?.Id != contact.Id)
        {
            await tx.Connection!.ExecuteAsync(SqlReleaseExternalId, new { ExternalId = externalId, contact.Id }, tx);
            await tx.Connection!.ExecuteAsync(SqlSetExternalId, new { ExternalId = externalId, contact.Id }, tx);
        }
        return contact;
    }

    private const string SqlSetLanguage = "UPDATE contacts SET language = @Language WHERE id = @Id";

    public Task SetLanguageAsync(DbTransaction tx, long id, string language) =>
        tx.Connection!.ExecuteAsync(SqlSetLanguage, new { Id = id, Language = language }, tx);

    private const string SqlLock = "UPDATE contacts SET updated_at = updated_at WHERE id = @Id";

    /// <summary>Takes the contact's row lock until the transaction ends, as the inbound upsert does: whatever reads and
    /// rewrites a contact's conversation (a message, a reminder) does it one at a time.</summary>
    public Task LockAsync(DbTransaction tx, long id) => tx.Connection!.ExecuteAsync(SqlLock, new { Id = id }, tx);

    private const string SqlSetOptedOut = "UPDATE contacts SET opted_out = @OptedOut WHERE id = @Id";

    public Task SetOptedOutAsync(DbTransaction tx, long id, bool optedOut) =>
        tx.Connection!.ExecuteAsync(SqlSetOptedOut, new { Id = id, OptedOut = optedOut ? 1 : 0 }, tx);

    private const string SqlSetOptedOutByAddress = "UPDATE contacts SET opted_out = @OptedOut WHERE address = @Address";

    public Task SetOptedOutByAddressAsync(DbTransaction tx, string address, bool optedOut) =>
        tx.Connection!.ExecuteAsync(SqlSetOptedOutByAddress, new { Address = address, OptedOut = optedOut ? 1 : 0 }, tx);

    private const string SqlById = """
        SELECT id AS Id, address AS Address, channel AS Channel, language AS Language, opted_out AS OptedOut FROM contacts WHERE id = @Id
        """;

    public Task<ContactRow> GetAsync(DbTransaction tx, long id) =>
        tx.Connection!.QuerySingleAsync<ContactRow>(SqlById, new { Id = id }, tx);

    /// <summary>The channel an address belongs to: <c>whatsapp</c>, <c>simulator</c> or <c>sms</c>.</summary>
    public static string ChannelOf(string address) =>
        address.StartsWith("whatsapp:", StringComparison.Ordinal) ? "whatsapp" : address.StartsWith("sim:", StringComparison.Ordinal) ? "simulator" : "sms";
}
