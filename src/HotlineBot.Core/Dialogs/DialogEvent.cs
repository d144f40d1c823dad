using HotlineBot.Core.Cases;

namespace HotlineBot.Core.Dialogs;

/// <summary>Something the engine decided; the host carries it out (sends, stores). Events are past tense.</summary>
public abstract record DialogEvent;

/// <summary>A reply to the contact. <see cref="Options"/> are the answers of a single-choice question, in menu order,
/// for channels that can show them as buttons (the text still carries the numbered menu for SMS).</summary>
public sealed record MessageCreated(string Text) : DialogEvent
{
    public IReadOnlyList<string> Options { get; init; } = [];
}

/// <summary>The flow reached <c>create_case</c>: the host creates the case, then says <see cref="Confirmation"/>
/// with <c>{case_code}</c> filled in — or, when the patient already has an open case (same NIK), links the report
/// to it and says <see cref="Duplicate"/> with that case's code.</summary>
public sealed record CaseRequested(CaseDraft Draft, string Confirmation, string Duplicate) : DialogEvent;

/// <summary>The contact chose a language (<c>EN</c>/<c>ID</c>); the host remembers it for the next conversation.</summary>
public sealed record LanguageChanged(string Language) : DialogEvent;

/// <summary><c>STATUS &lt;kode&gt;</c>: the host looks the case up and says <see cref="Found"/> (with <c>{case_code}</c>
/// and <c>{status}</c>, the label from <see cref="StatusLabels"/>) or <see cref="NotFound"/>.</summary>
public sealed record StatusRequested(string Code, string Found, string NotFound, IReadOnlyDictionary<string, string> StatusLabels) : DialogEvent;

/// <summary><c>STOP</c>/<c>BERHENTI</c>: no proactive messages to this contact any more.</summary>
public sealed record OptedOut : DialogEvent;

/// <summary><c>MULAI</c>/<c>START</c>: proactive messages allowed again.</summary>
public sealed record OptedIn : DialogEvent;

/// <summary>The citizen could not get through a step (or the flow hands off on purpose): an officer takes the
/// conversation over. <see cref="Draft"/> holds what was answered so far; the host makes it an officer's item and
/// alerts the duty officers, since the citizen was told an officer will contact them.</summary>
public sealed record HandoffRequested(string StepId, CaseDraft Draft) : DialogEvent;

/// <summary>The result of one engine call: the new session, what happened, and the input as it may be stored
/// (any NIK masked). <see cref="Started"/> is true when a new session replaced the old one.</summary>
public sealed record DialogStep(DialogSession Session, IReadOnlyList<DialogEvent> Events, string StoredInput)
{
    public bool Started { get; init; }
}
