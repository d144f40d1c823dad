namespace HotlineBot.Core.Dialogs;

/// <summary>One step of a flow: either a question (<see cref="Input"/>) or an action (<see cref="Action"/>).</summary>
public sealed class StepDefinition
{
    public string Id { get; set; } = "";
    /// <summary>The input type name, a key of <see cref="Inputs.InputTypes"/>.</summary>
    public string? Input { get; set; }
    /// <summary>An action name (<c>create_case</c>) for steps that do rather than ask.</summary>
    public string? Action { get; set; }
    public Texts Ask { get; set; } = [];
    /// <summary>The general re-ask when an answer cannot be used and no specific error text exists.</summary>
    public Texts Retry { get; set; } = [];
    /// <summary>Specific re-asks keyed by the input type's error key (for a NIK: <c>length</c>, <c>date</c>, ...).</summary>
    public Dictionary<string, Texts> Errors { get; set; } = [];
    /// <summary>Label in the summary and the edit menu; steps without one are not shown there.</summary>
    public Texts Summary { get; set; } = [];
    public List<ChoiceDefinition> Choices { get; set; } = [];
    public string? Next { get; set; }
    /// <summary>Where to go by answer: the first branch whose <c>when</c> is one of the answer's keys wins.</summary>
    public List<BranchDefinition> Branches { get; set; } = [];
    /// <summary>Failed answers before <see cref="OnFail"/> applies (default 3).</summary>
    public int? MaxAttempts { get; set; }
    /// <summary><c>skip</c> (record the step as skipped and go on) or <c>handoff</c> (an officer takes over);
    /// without it the step keeps asking.</summary>
    public string? OnFail { get; set; }
    /// <summary>A flag the step raises when reached (<c>urgent</c>), carried into the case.</summary>
    public string? Flag { get; set; }
    /// <summary>For <c>text</c>: a regular expression the answer must match (error key <c>pattern</c>).</summary>
    public string? Pattern { get; set; }
    internal System.Text.RegularExpressions.Regex? PatternRegex { get; set; }
    public int? MinLength { get; set; }
    public int? MaxLength { get; set; }
    /// <summary>For <c>number</c>: the smallest and largest accepted value.</summary>
    public int? Min { get; set; }
    public int? Max { get; set; }
    /// <summary>Answers that mean "I don't know / there is none" (<c>tidak tahu</c>, <c>tidak ada</c>): accepted
    /// at any step that has them, shown with their own summary text and raising their flag.</summary>
    public UnknownAnswer? Unknown { get; set; }
    /// <summary>For <c>create_case</c>: need keys every case of this flow has, besides those answered.</summary>
    public List<string> Needs { get; set; } = [];
    /// <summary>For <c>create_case</c>: which step's answer fills which case field.</summary>
    public Dictionary<string, string> Case { get; set; } = [];
    /// <summary>What an action step says when done; may use <c>{case_code}</c>.</summary>
    public Texts Say { get; set; } = [];

    public bool IsAction => Action is not null;
    public int Attempts => MaxAttempts ?? 3;
    public Texts ErrorText(string key) => Errors.TryGetValue(key, out var t) ? t : Retry;
}

public sealed class ChoiceDefinition
{
    public string Key { get; set; } = "";
    public Texts Label { get; set; } = [];
    public List<string> Words { get; set; } = [];
    /// <summary>Branch: the step to go to when this choice is picked (for single choices).</summary>
    public string? Next { get; set; }
    /// <summary>An engine action instead of a step, e.g. <c>edit</c> to change one answer.</summary>
    public string? Action { get; set; }
}

public sealed class BranchDefinition
{
    /// <summary>An answer key: a choice key, or <c>yes</c>/<c>no</c>.</summary>
    public string When { get; set; } = "";
    public string Next { get; set; } = "";
}

public sealed class UnknownAnswer
{
    public List<string> Words { get; set; } = [];
    public string? Flag { get; set; }
    public Texts Summary { get; set; } = [];
}
