namespace HotlineBot.Core.Dialogs;

/// <summary>A conversation flow as written in <c>conversation-flows/*.yaml</c>. The format is data; see that folder's README.</summary>
public sealed class FlowDefinition
{
    public int Version { get; set; }
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public Texts Greeting { get; set; } = [];
    /// <summary>Words that start this flow when they open a new conversation (<c>PANTAU</c>); the default flow needs none.</summary>
    public List<string> Triggers { get; set; } = [];
    /// <summary>Words that work at every step, keyed by what they do: <c>cancel</c>, <c>restart</c>, <c>back</c>,
    /// <c>help</c>, <c>language_en</c>/<c>language_id</c>, <c>status</c> (followed by a case code), <c>stop</c>,
    /// <c>start</c>; and <c>urgent</c>, words that anywhere in a message bring the emergency advice.</summary>
    public Dictionary<string, List<string>> Commands { get; set; } = [];
    /// <summary>Texts the engine says itself, keyed by purpose: <c>cancelled</c>, <c>help</c>, <c>edit_menu</c>, ...</summary>
    public Dictionary<string, Texts> Messages { get; set; } = [];
    public List<StepDefinition> Steps { get; set; } = [];
    /// <summary>Idle timers: <c>remind_after</c> (one reminder) and <c>expire_after</c> (the report is closed; the next
    /// message starts again politely), as <c>hh:mm:ss</c>.</summary>
    public TimersDefinition Timers { get; set; } = new();
    /// <summary>What an asking step without its own <c>max_attempts</c> / <c>on_fail</c> gets: every question ends.</summary>
    public StepDefaults Defaults { get; set; } = new();

    /// <summary>The shared words (<c>vocabulary.yaml</c>) this flow was loaded with: yes, no, don't know, greetings.</summary>
    [YamlDotNet.Serialization.YamlIgnore]
    public Vocabulary Vocabulary { get; internal set; } = Vocabulary.Empty;

    /// <summary>Where each step starts in its file (1-based line), for error messages.</summary>
    internal Dictionary<string, int> StepLines { get; } = [];
    public string SourceFile { get; internal set; } = "";
    /// <summary>What the checker warned about when the flow was loaded (a prompt over one SMS, ...).</summary>
    public IReadOnlyList<FlowDiagnostic> Warnings { get; internal set; } = [];

    public StepDefinition Step(string id) =>
        Steps.Find(s => s.Id == id) ?? throw new InvalidOperationException($"Flow '{Id}' has no step '{id}'.");

    public StepDefinition? After(StepDefinition step)
    {
        var index = Steps.IndexOf(step);
        return index >= 0 && index + 1 < Steps.Count ? Steps[index + 1] : null;
    }

    public Texts Message(string key) => Messages.TryGetValue(key, out var texts) ? texts : [];

    /// <summary>The command a folded message is, with its argument (the case code after <c>STATUS</c>), or null.</summary>
    public (string Command, string Argument)? CommandFor(string folded)
    {
        foreach (var (command, words) in Commands)
        {
            if (command == "urgent") continue;
            foreach (var word in words)
            {
                if (folded == word) return (command, "");
                if (command == "status" && folded.Length > word.Length + 1 && folded.StartsWith(word + " ", StringComparison.Ordinal))
                    return (command, folded[(word.Length + 1)..].Replace(" ", "", StringComparison.Ordinal).TrimStart('#'));
            }
        }
        return null;
    }

    /// <summary>True when a folded message contains one of the <c>urgent</c> words as whole words.</summary>
    public bool IsUrgent(string folded)
    {
        if (!Commands.TryGetValue("urgent", out var words)) return false;
        var padded = $" {folded} ";
        foreach (var word in words)
            if (HasWord(padded, word)) return true;
        return false;
    }

    /// <summary>Whether <c>" word "</c> is in <paramref name="padded"/>, without building it for every word.</summary>
    private static bool HasWord(string padded, string word)
    {
        if (word.Length == 0) return padded.Contains("  ", StringComparison.Ordinal);
        for (var at = padded.IndexOf(word, StringComparison.Ordinal); at >= 0; at = padded.IndexOf(word, at + 1, StringComparison.Ordinal))
            if (at > 0 && padded[at - 1] == ' ' && at + word.Length < padded.Length && padded[at + word.Length] == ' ') return true;
        return false;
    }
}

public sealed class StepDefaults
{
    public int? MaxAttempts { get; set; }
    public string? OnFail { get; set; }
}

public sealed class TimersDefinition
{
    public string? RemindAfter { get; set; }
    public string? ExpireAfter { get; set; }

    public TimeSpan? Remind => Parse(RemindAfter);
    public TimeSpan? Expire => Parse(ExpireAfter);

    internal static TimeSpan? Parse(string? text) =>
        text is not null && TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var t) && t > TimeSpan.Zero ? t : null;
}
