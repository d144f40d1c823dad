using HotlineBot.Core.Dialogs;
using HotlineBot.Core.Indonesia;

namespace HotlineBot.Core.Cases;

/// <summary>A case as a finished report describes it, before it has a code or a row.</summary>
public sealed record CaseDraft
{
    public required string PatientName { get; init; }
    public ProtectedNik? Nik { get; init; }
    public required string Address { get; init; }
    public IReadOnlyList<string> Needs { get; init; } = [];
    /// <summary>Flags raised during the report, e.g. <c>needs_documents</c> when the NIK is unknown.</summary>
    public IReadOnlyList<string> Flags { get; init; } = [];

    /// <summary>Builds the draft from the answers named by a <c>create_case</c> step's <c>case:</c> mapping.</summary>
    public static CaseDraft FromAnswers(IReadOnlyDictionary<string, Answer> answers, IReadOnlyDictionary<string, string> mapping)
    {
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentNullException.ThrowIfNull(mapping);
        Answer? Field(string name) =>
            mapping.TryGetValue(name, out var stepId) && answers.TryGetValue(stepId, out var a) ? a : null;

        return new CaseDraft
        {
            PatientName = Field("patient_name")?.Display ?? "",
            Nik = Field("nik")?.Nik,
            Address = Field("address")?.Display ?? "",
            Needs = Field("needs")?.Keys ?? [],
            Flags = answers.Values.SelectMany(a => a.Flags).Distinct(StringComparer.Ordinal).ToArray(),
        };
    }

    /// <summary>The case fields a <c>create_case</c> mapping may name.</summary>
    public static readonly IReadOnlySet<string> Fields = new HashSet<string> { "patient_name", "nik", "address", "needs" };
}
