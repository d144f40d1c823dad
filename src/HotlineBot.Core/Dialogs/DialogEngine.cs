using System.Globalization;
using System.Text;
using HotlineBot.Core.Cases;
using HotlineBot.Core.Dialogs.Inputs;
using HotlineBot.Core.Indonesia;

namespace HotlineBot.Core.Dialogs;

/// <summary>
/// Runs flows. Pure: takes a session, what was typed and the time, and returns the new session and events; it sends
/// nothing, stores nothing and reads no clock. Everything it says comes from the flow file.
/// </summary>
public sealed class DialogEngine(FlowSet flows, NikProtector nikProtector)
{
    public FlowSet Flows { get; } = flows;

    /// <summary>Starts the default flow: greeting plus the first question. What was typed only opens the conversation.</summary>
    public DialogStep Start(DialogInput input, string language, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(input);
        var flow = Flows.Default;
        var session = new DialogSession
        {
            FlowId = flow.Id, StepId = flow.Steps[0].Id, Language = language, StartedAt = now, UpdatedAt = now,
        };
        var events = new List<DialogEvent>();
        session = Enter(flow, session, flow.Steps[0], events, flow.Greeting.In(language));
        return new DialogStep(session, events, NikRedactor.Redact(input.Text)) { Started = true };
    }

    /// <summary>Applies one message to an active session (or starts one when there is none to resume).</summary>
    public DialogStep Resume(DialogSession? session, DialogInput input, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (session is not { Status: SessionStatus.Active }
            || Flows.Find(session.FlowId) is not { } flow
            || flow.Steps.Find(s => s.Id == session.StepId) is not { } step)
            return Start(input, session?.Language ?? Texts.DefaultLanguage, now);

        session = session with { UpdatedAt = now };
        var lang = session.Language;
        var events = new List<DialogEvent>();
        var normalized = TextNormalizer.Normalize(input.Text);

        switch (flow.CommandFor(normalized))
        {
            case "cancel":
                events.Add(new MessageCreated(flow.Message("cancelled").In(lang)));
                return new DialogStep(session with { Status = SessionStatus.Cancelled }, events, NikRedactor.Redact(input.Text));
            case "restart":
                return Start(input, lang, now);
            case "help":
                events.Add(new MessageCreated(Join(flow.Message("help").In(lang), Prompt(flow, session, step))));
                return new DialogStep(session, events, NikRedactor.Redact(input.Text));
        }

        if (session.ChoosingEdit)
            return ChooseEdit(flow, session, step, input, normalized, events);

        var type = InputTypes.All[step.Input!];
        var result = type.Parse(step, input, new InputContext(DateOnly.FromDateTime(now.DateTime), nikProtector, lang));
        var stored = type.Redact(input.Text, result);
        if (result.Answer is not { } answer)
        {
            events.Add(new MessageCreated(Render(flow, session, step.ErrorText(result.Error!).In(lang), step)));
            return new DialogStep(session with { Attempts = session.Attempts + 1 }, events, stored);
        }

        session = session with { Answers = session.Answers.SetItem(step.Id, answer), Attempts = 0 };
        var choice = step.Input == "choice" ? step.Choices.Find(c => c.Key == answer.Keys[0]) : null;
        if (choice?.Action == "edit")
        {
            events.Add(new MessageCreated(EditMenu(flow, session)));
            return new DialogStep(session with { ChoosingEdit = true }, events, stored);
        }

        var nextId = session.ReturnTo ?? choice?.Next ?? step.Next ?? flow.After(step)?.Id;
        session = session with { ReturnTo = null };
        if (nextId is null)
            return new DialogStep(session with { Status = SessionStatus.Completed }, events, stored);
        return new DialogStep(Enter(flow, session, flow.Step(nextId), events, prefix: null), events, stored);
    }

    private static DialogStep ChooseEdit(FlowDefinition flow, DialogSession session, StepDefinition confirm, DialogInput input,
        string normalized, List<DialogEvent> events)
    {
        var editable = Editable(flow, session);
        var target = int.TryParse(normalized, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= editable.Count
            ? editable[n - 1]
            : editable.Find(s => s.Summary.Values.Any(l => string.Equals(TextNormalizer.Normalize(l), normalized, StringComparison.Ordinal)));
        if (target is null)
        {
            events.Add(new MessageCreated(EditMenu(flow, session)));
            return new DialogStep(session, events, NikRedactor.Redact(input.Text));
        }
        session = session with { ChoosingEdit = false, ReturnTo = confirm.Id, StepId = target.Id, Attempts = 0 };
        events.Add(new MessageCreated(Prompt(flow, session, target)));
        return new DialogStep(session, events, NikRedactor.Redact(input.Text));
    }

    /// <summary>Moves to a step: a question is asked; <c>create_case</c> ends the flow with a case request.</summary>
    private static DialogSession Enter(FlowDefinition flow, DialogSession session, StepDefinition step, List<DialogEvent> events, string? prefix)
    {
        if (step.Action == "create_case")
        {
            var draft = CaseDraft.FromAnswers(session.Answers, step.Case);
            events.Add(new CaseRequested(draft, Render(flow, session, step.Say.In(session.Language), step)));
            return session with { StepId = step.Id, Status = SessionStatus.Completed };
        }
        session = session with { StepId = step.Id, Attempts = 0 };
        events.Add(new MessageCreated(Join(prefix, Prompt(flow, session, step))));
        return session;
    }

    private static string Prompt(FlowDefinition flow, DialogSession session, StepDefinition step) =>
        Render(flow, session, step.Ask.In(session.Language), step);

    private static string Render(FlowDefinition flow, DialogSession session, string template, StepDefinition step)
    {
        if (!template.Contains('{', StringComparison.Ordinal)) return template;
        var lang = session.Language;
        if (template.Contains("{choices}", StringComparison.Ordinal))
            template = template.Replace("{choices}", Numbered(step.Choices.Select(c => c.Label.In(lang))), StringComparison.Ordinal);
        if (template.Contains("{summary}", StringComparison.Ordinal))
        {
            var lines = flow.Steps.Where(s => s.Summary.Count > 0 && session.Answers.ContainsKey(s.Id))
                .Select(s => $"{s.Summary.In(lang)}: {session.Answers[s.Id].Display}");
            template = template.Replace("{summary}", string.Join('\n', lines), StringComparison.Ordinal);
        }
        return template;
    }

    private static string EditMenu(FlowDefinition flow, DialogSession session) =>
        flow.Message("edit_menu").In(session.Language)
            .Replace("{options}", Numbered(Editable(flow, session).Select(s => s.Summary.In(session.Language))), StringComparison.Ordinal);

    private static List<StepDefinition> Editable(FlowDefinition flow, DialogSession session) =>
        flow.Steps.Where(s => s.Summary.Count > 0 && session.Answers.ContainsKey(s.Id)).ToList();

    private static string Numbered(IEnumerable<string> labels)
    {
        var sb = new StringBuilder();
        var i = 1;
        foreach (var label in labels)
            sb.Append(sb.Length > 0 ? "\n" : "").Append(i++.ToString(CultureInfo.InvariantCulture)).Append(". ").Append(label);
        return sb.ToString();
    }

    private static string Join(string? first, string second) => string.IsNullOrEmpty(first) ? second : first + "\n" + second;
}
