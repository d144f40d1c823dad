using HotlineBot.Core.Cases;

namespace HotlineBot.Core.Dialogs;

/// <summary>Something the engine decided; the host carries it out (sends, stores). Events are past tense.</summary>
public abstract record DialogEvent;

/// <summary>A reply to the contact.</summary>
public sealed record MessageCreated(string Text) : DialogEvent;

/// <summary>The flow reached <c>create_case</c>: the host creates the case, then says <see cref="Confirmation"/>
/// with <c>{case_code}</c> filled in.</summary>
public sealed record CaseRequested(CaseDraft Draft, string Confirmation) : DialogEvent;

/// <summary>The result of one engine call: the new session, what happened, and the input as it may be stored
/// (any NIK masked). <see cref="Started"/> is true when a new session replaced the old one.</summary>
public sealed record DialogStep(DialogSession Session, IReadOnlyList<DialogEvent> Events, string StoredInput)
{
    public bool Started { get; init; }
}
