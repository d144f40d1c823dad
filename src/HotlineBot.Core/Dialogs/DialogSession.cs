using System.Collections.Immutable;
using HotlineBot.Core.Indonesia;

namespace HotlineBot.Core.Dialogs;

public enum SessionStatus { Active, Completed, Cancelled, Handoff, Expired }

/// <summary>
/// Where one contact is in one flow. Persisted between messages as JSON, so it holds only what may be stored:
/// a NIK answer keeps its ciphertext, blind index and masked form, never the digits.
/// </summary>
public sealed record DialogSession
{
    public required string FlowId { get; init; }
    public required string StepId { get; init; }
    public SessionStatus Status { get; init; } = SessionStatus.Active;
    public string Language { get; init; } = Texts.DefaultLanguage;
    public ImmutableDictionary<string, Answer> Answers { get; init; } = ImmutableDictionary<string, Answer>.Empty;
    /// <summary>Failed attempts at the current step.</summary>
    public int Attempts { get; init; }
    /// <summary>Set while an answer is being changed from the summary: where to go back to afterwards.</summary>
    public string? ReturnTo { get; init; }
    /// <summary>True while the edit menu waits for the number of the answer to change.</summary>
    public bool ChoosingEdit { get; init; }
    /// <summary>Set while the current step waits for the number of one of these (a village in several kecamatan).</summary>
    public ImmutableList<Answer>? Pending { get; init; }
    /// <summary>The questions asked before the current one, newest last, for <c>KEMBALI</c>.</summary>
    public ImmutableList<string> History { get; init; } = ImmutableList<string>.Empty;
    /// <summary>Questions already answered inside another answer (a NIK typed with the name): skipped when reached.</summary>
    public ImmutableSortedSet<string> Prefilled { get; init; } = ImmutableSortedSet<string>.Empty;
    /// <summary>Flags raised by steps (<c>urgent</c>), carried into the case.</summary>
    public ImmutableSortedSet<string> Flags { get; init; } = ImmutableSortedSet<string>.Empty;
    /// <summary>References to the photos and documents sent during the report (the first <see cref="MaxMedia"/>): they
    /// go with the case.</summary>
    public ImmutableList<string> Media { get; init; } = ImmutableList<string>.Empty;
    public const int MaxMedia = 20;

    /// <summary>These media added, up to <see cref="MaxMedia"/>, so a flood of photos cannot swell the saved state.</summary>
    public DialogSession WithMedia(IReadOnlyList<string> added) =>
        added.Count == 0 || Media.Count >= MaxMedia ? this : this with { Media = Media.AddRange(added.Take(MaxMedia - Media.Count)) };
    /// <summary>True once the idle reminder went out; a new message from the contact clears it.</summary>
    public bool Reminded { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>An accepted answer: what the summary shows, the choice keys picked, an optional protected NIK, flags.</summary>
public sealed record Answer(string Display)
{
    public IReadOnlyList<string> Keys { get; init; } = [];
    public ProtectedNik? Nik { get; init; }
    public IReadOnlyList<string> Flags { get; init; } = [];
    /// <summary>A WhatsApp location shared as the answer.</summary>
    public GeoPoint? Position { get; init; }
    /// <summary>Where a typed address was resolved to (always a kecamatan; the village when named).</summary>
    public Indonesia.Regions.AddressMatch? Place { get; init; }
    /// <summary>One of the step's "don't know" words: shown with the step's <c>unknown.summary</c>.</summary>
    public bool Unknown { get; init; }
    /// <summary>Skipped after too many answers the step could not use.</summary>
    public bool Skipped { get; init; }

    /// <summary>How the answer reads in <paramref name="language"/>: choices, yes/no, "don't know" and skipped
    /// answers follow the conversation's language; what people typed stays as typed.</summary>
    public string DisplayIn(FlowDefinition flow, StepDefinition step, string language)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(step);
        if (Skipped) return flow.Message("skipped").In(language);
        if (Unknown && step.Unknown is { } unknown) return unknown.Summary.In(language);
        if (Keys.Count > 0 && step.Choices.Count > 0)
            return string.Join(", ", Keys.Select(k => step.Choices.Find(c => c.Key == k)?.Label.In(language) is { Length: > 0 } label ? label : YesNoWord(k, language)));
        if (Keys.Count == 1 && step.Input == "yes_no") return YesNoWord(Keys[0], language);
        if (Place is { } place) return $"{Display} ({place.Label})";
        return Display;
    }

    private static string YesNoWord(string key, string language) => (key, language) switch
    {
        ("yes", "en") => "yes",
        ("no", "en") => "no",
        ("yes", _) => "ya",
        ("no", _) => "tidak",
        _ => key,
    };
}

public sealed record GeoPoint(double Latitude, double Longitude);

/// <summary>What the citizen sent, as the engine sees it: text, a location when the channel gives one, and references
/// to any photos or documents attached (provider URLs or media ids, never the files).</summary>
public sealed record DialogInput(string Text, GeoPoint? Location = null, string? LocationLabel = null)
{
    public IReadOnlyList<string> Media { get; init; } = [];
}
