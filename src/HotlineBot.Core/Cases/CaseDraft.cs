using HotlineBot.Core.Dialogs;
using HotlineBot.Core.Indonesia;

namespace HotlineBot.Core.Cases;

/// <summary>A case as a finished report describes it, before it has a code or a row.</summary>
public sealed record CaseDraft
{
    public required string PatientName { get; init; }
    public ProtectedNik? Nik { get; init; }
    public required string Address { get; init; }
    /// <summary>Where the patient is, when the reporter shared a WhatsApp location.</summary>
    public GeoPoint? Position { get; init; }
    /// <summary>The kecamatan (and village) the address resolved to: what routing uses, never the NIK's codes.</summary>
    public string? DistrictCode { get; init; }
    public string? VillageCode { get; init; }
    public IReadOnlyList<string> Needs { get; init; } = [];
    /// <summary>Flags raised during the report, e.g. <c>needs_documents</c> when the NIK is unknown, <c>urgent</c>.</summary>
    public IReadOnlyList<string> Flags { get; init; } = [];
    /// <summary>References to the photos and documents sent during the report.</summary>
    public IReadOnlyList<string> Media { get; init; } = [];
    /// <summary>The other answers a flow maps (<see cref="DetailFields"/>), by field name: choice keys for choices, the
    /// text otherwise; "don't know" and skipped answers are left out.</summary>
    public IReadOnlyDictionary<string, string> Details { get; init; } = new Dictionary<string, string>();

    /// <summary>Builds the draft from a finished session and its <c>create_case</c> step: the step's <c>case:</c>
    /// mapping names which answer fills which field; its <c>needs:</c> are added to the answered ones.</summary>
    public static CaseDraft FromSession(DialogSession session, StepDefinition createCase)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(createCase);
        Answer? Field(string name) =>
            createCase.Case.TryGetValue(name, out var stepId) && session.Answers.TryGetValue(stepId, out var a) ? a : null;

        return new CaseDraft
        {
            PatientName = Field("patient_name")?.Display ?? "",
            Nik = Field("nik")?.Nik,
            Address = Field("address")?.Display ?? "",
            Position = Field("address")?.Position,
            DistrictCode = Field("address")?.Place?.DistrictCode,
            VillageCode = Field("address")?.Place?.VillageCode,
            Needs = (Field("needs")?.Keys ?? []).Concat(createCase.Needs).Distinct(StringComparer.Ordinal).ToArray(),
            Flags = session.Answers.Values.SelectMany(a => a.Flags).Concat(session.Flags).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray(),
            Media = session.Media,
            Details = DetailFields.Where(f => Field(f) is { Unknown: false, Skipped: false })
                .ToDictionary(f => f, f => Field(f)!.Keys.Count > 0 ? string.Join(',', Field(f)!.Keys) : Field(f)!.Display),
        };
    }

    /// <summary>Fields with columns of their own.</summary>
    public static readonly IReadOnlySet<string> MainFields = new HashSet<string> { "patient_name", "nik", "address", "needs" };

    /// <summary>Further fields a flow may fill; kept together with the case.</summary>
    public static readonly IReadOnlyList<string> DetailFields = ["contact_phone", "household_size", "condition", "notes"];

    public static bool IsField(string name) => MainFields.Contains(name) || DetailFields.Contains(name);
}
