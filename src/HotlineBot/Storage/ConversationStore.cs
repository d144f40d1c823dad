using System.Data.Common;
using Dapper;

namespace HotlineBot.Storage;

public sealed class ConversationRow
{
    public long Id { get; init; }
    public string State { get; init; } = "";
}

/// <summary>Dialog state, one active conversation per contact.</summary>
public sealed class ConversationStore
{
    private const string SqlActive = "SELECT id AS Id, state AS State FROM conversations WHERE contact_id = @ContactId AND status = 'active'";

    public Task<ConversationRow?> FindActiveAsync(DbTransaction tx, long contactId) =>
        tx.Connection!.QuerySingleOrDefaultAsync<ConversationRow>(SqlActive, new { ContactId = contactId }, tx);

    private const string SqlInsert = """
        INSERT INTO conversations (contact_id, flow_id, step_id, status, state, started_at, updated_at)
        VALUES (@ContactId, @FlowId, @StepId, @Status, @State, @Now, @Now)
        RETURNING id
        """;

    public Task<long> InsertAsync(DbTransaction tx, long contactId, string flowId, string stepId, string status, string state, long now) =>
        tx.Connection!.ExecuteScalarAsync<long>(SqlInsert,
            new { ContactId = contactId, FlowId = flowId, StepId = stepId, Status = status, State = state, Now = now }, tx);

    private const string SqlUpdate = """
        UPDATE conversations SET step_id = @StepId, status = @Status, state = @State, updated_at = @Now WHERE id = @Id
        """;

    public Task UpdateAsync(DbTransaction tx, long id, string stepId, string status, string state, long now) =>
        tx.Connection!.ExecuteAsync(SqlUpdate, new { Id = id, StepId = stepId, Status = status, State = state, Now = now }, tx);

    private const string SqlClose = "UPDATE conversations SET status = @Status, updated_at = @Now WHERE id = @Id";

    public Task CloseAsync(DbTransaction tx, long id, string status, long now) =>
        tx.Connection!.ExecuteAsync(SqlClose, new { Id = id, Status = status, Now = now }, tx);
}
