using System.Data.Common;
using System.Text.Json;
using Dapper;
using HotlineBot.Core.Cases;

namespace HotlineBot.Storage;

public sealed class CaseRow
{
    public long Id { get; init; }
    public string Code { get; init; } = "";
    public string Status { get; init; } = "";
    public string PatientName { get; init; } = "";
    public string? NikCiphertext { get; init; }
    public string? NikIndex { get; init; }
    public string? NikMasked { get; init; }
    public string Address { get; init; } = "";
    public string Needs { get; init; } = "";
    public string Flags { get; init; } = "";
}

/// <summary>Cases and their event history. The NIK is only ever written as ciphertext, blind index and mask.</summary>
public sealed class CaseStore
{
    private const string SqlInsert = """
        INSERT INTO cases (code, status, reporter_contact_id, conversation_id, patient_name, nik_ciphertext, nik_index,
                           nik_masked, address, latitude, longitude, district_code, village_code, needs, flags, details,
                           created_at, updated_at)
        VALUES (@Code, 'new', @ReporterContactId, @ConversationId, @PatientName, @NikCiphertext, @NikIndex,
                @NikMasked, @Address, @Latitude, @Longitude, @DistrictCode, @VillageCode, @Needs, @Flags, @Details,
                @Now, @Now)
        ON CONFLICT (code) DO NOTHING
        RETURNING id
        """;

    /// <summary>Inserts the case under the first free code candidate; returns its id and code.</summary>
    public async Task<(long Id, string Code)> InsertAsync(DbTransaction tx, CaseDraft draft, long reporterContactId,
        long conversationId, Func<int, string> codeCandidate, long now)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(codeCandidate);
        for (var attempt = 0; attempt < 30; attempt++)
        {
            var code = codeCandidate(attempt);
            var id = await tx.Connection!.ExecuteScalarAsync<long?>(SqlInsert, new
            {
                Code = code, ReporterContactId = reporterContactId, ConversationId = conversationId,
                draft.PatientName, NikCiphertext = draft.Nik?.Ciphertext, NikIndex = draft.Nik?.BlindIndex,
                NikMasked = draft.Nik?.Masked, draft.Address, Latitude = draft.Position?.Latitude, Longitude = draft.Position?.Longitude,
                draft.DistrictCode, draft.VillageCode,
                Needs = string.Join(',', draft.Needs), Flags = string.Join(',', draft.Flags),
                Details = JsonSerializer.Serialize(draft.Details, DialogJson.Readable.IReadOnlyDictionaryStringString), Now = now,
            }, tx);
            if (id is { } caseId) return (caseId, code);
        }
        throw new InvalidOperationException("No free case code after 30 attempts.");
    }

    private const string SqlInsertEvent = """
        INSERT INTO case_events (case_id, kind, actor, detail, created_at) VALUES (@CaseId, @Kind, @Actor, @Detail, @Now)
        """;

    public Task AddEventAsync(DbTransaction tx, long caseId, string kind, string actor, string detail, long now) =>
        tx.Connection!.ExecuteAsync(SqlInsertEvent, new { CaseId = caseId, Kind = kind, Actor = actor, Detail = detail, Now = now }, tx);

    private const string SqlByCode = """
        SELECT id AS Id, code AS Code, status AS Status, patient_name AS PatientName, nik_ciphertext AS NikCiphertext,
               nik_index AS NikIndex, nik_masked AS NikMasked, address AS Address, needs AS Needs, flags AS Flags
        FROM cases WHERE code = @Code
        """;

    private const string SqlStatusByCode = "SELECT status FROM cases WHERE code = @Code";

    public Task<string?> FindStatusAsync(DbTransaction tx, string code) =>
        tx.Connection!.QuerySingleOrDefaultAsync<string?>(SqlStatusByCode, new { Code = code }, tx);

    public static async Task<CaseRow?> FindByCodeAsync(DbConnection connection, string code) =>
        await connection.QuerySingleOrDefaultAsync<CaseRow>(SqlByCode, new { Code = code });
}
