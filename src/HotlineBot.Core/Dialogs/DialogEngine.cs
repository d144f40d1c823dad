using System.Collections.Immutable;
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
public sealed class DialogEngine(FlowSet flows, NikProtector nikProtector, Indonesia.Regions.AddressResolver? addresses = null)
{
    /// <summary>How many steps one message may pass through (actions, branches) before the flow is taken to loop.</summary>
    public const int StepLimit = 25;

    public FlowSet Flows { get; } = flows;

    /// <summary>Handles one message: a global word, an answer to the active session, or the start of a new one.</summary>
    public DialogStep Handle(DialogSession? session, DialogInput input, string language, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(input);
        var active = session is { Status: SessionStatus.Active }
            && Flows.Find(session.FlowId) is { } f && f.Steps.Exists(s => s.Id == session.StepId);
        var folded = TextNormalizer.Normalize(input.Text);
        var flow = active ? Flows.Find(session!.FlowId)! : Flows.Default;
        var lang = active ? session!.Language : language;
        var turn = new Turn(input, folded, now);

        if (flow.CommandFor(folded) is var (command, argument))
        {
            if (Command(turn, flow, active ? session : null, lang, command, argument) is { } handled) return handled;
        }
        if (!active)
        {
            var started = Start(turn, lang, TriggeredFlow(folded));
            if (session is not { Status: SessionStatus.Expired } expired) return started;
            // The last report was closed for silence: say so, then begin again.
            var notice = (Flows.Find(expired.FlowId) ?? Flows.Default).Message("expired").In(lang);
            return started with { Events = [new MessageCreated(notice), .. started.Events] };
        }
        return Answer(turn, flow, (session! with { UpdatedAt = now, Reminded = false }).WithMedia(input.Media));
    }

    /// <summary>When the timers of an active session fall due: the reminder time, unless already reminded, and the
    /// expiry time; null when the flow has no such timer. Computed from the last message, so the database can hold them.</summary>
    public (DateTimeOffset? RemindAt, DateTimeOffset? ExpiresAt) TimersOf(DialogSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session.Status != SessionStatus.Active || Flows.Find(session.FlowId) is not { } flow) return (null, null);
        return (session.Reminded ? null : session.UpdatedAt + flow.Timers.Remind, session.UpdatedAt + flow.Timers.Expire);
    }

    /// <summary>The idle reminder: the flow's <c>reminder</c> text and the question that waits for an answer.</summary>
    public DialogStep Remind(DialogSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var flow = Flows.Find(session.FlowId) ?? throw new FlowException($"Flow '{session.FlowId}' is not loaded.");
        var step = flow.Step(session.StepId);
        var text = session.ChoosingEdit ? EditMenu(flow, session)
            : session.Pending is { } pending ? ChoiceMenu(flow, session, pending)
            : Prompt(flow, session, step);
        return new DialogStep(session with { Reminded = true }, [new MessageCreated(Join(flow.Message("reminder").In(session.Language), text))], "");
    }

    /// <summary>Closes a session nobody answered in time; the next message hears so and starts again.</summary>
    public static DialogStep Expire(DialogSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return new DialogStep(session with { Status = SessionStatus.Expired }, [], "");
    }

    /// <summary>Starts <paramref name="flow"/> (the default flow when null): greeting plus the first question.</summary>
    public DialogStep Start(DialogInput input, string language, DateTimeOffset now, FlowDefinition? flow = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Start(new Turn(input, TextNormalizer.Normalize(input.Text), now), language, flow ?? Flows.Default);
    }

    /// <summary>Kept for callers that resume or start in one call; see <see cref="Handle"/>.</summary>
    public DialogStep Resume(DialogSession? session, DialogInput input, DateTimeOffset now) =>
        Handle(session, input, session?.Language ?? Texts.DefaultLanguage, now);

    private static DialogStep Start(Turn turn, string language, FlowDefinition flow)
    {
        var session = new DialogSession
        {
            FlowId = flow.Id, StepId = flow.Steps[0].Id, Language = language, StartedAt = turn.Now, UpdatedAt = turn.Now,
        }.WithMedia(turn.Input.Media);
        var events = new List<DialogEvent>();
        var opening = flow.Greeting.In(language);
        if (flow.IsUrgent(turn.Folded))     // "tolong, ibu saya pingsan": the advice comes before any question
        {
            session = session with { Flags = session.Flags.Add("urgent") };
            opening = Join(flow.Message("urgent").In(language), opening);
        }
        session = Enter(flow, session, flow.Steps[0], events, opening);
        return new DialogStep(session, events, NikRedactor.Redact(turn.Input.Text)) { Started = true };
    }

    private FlowDefinition TriggeredFlow(string folded) =>
        Flows.All.FirstOrDefault(f => f.Triggers.Exists(t => folded == t || folded.StartsWith(t + " ", StringComparison.Ordinal)))
        ?? Flows.Default;

    /// <summary>A global word. Returns null when the word does not apply here and the message is read as usual.</summary>
    private DialogStep? Command(Turn turn, FlowDefinition flow, DialogSession? session, string lang, string command, string argument)
    {
        var events = new List<DialogEvent>();
        var stored = NikRedactor.Redact(turn.Input.Text);
        var step = session is null ? null : flow.Step(session.StepId);
        DialogStep Reply(DialogSession? s, string text)
        {
            events.Add(new MessageCreated(text));
            return new DialogStep(s ?? Idle(flow, lang, turn.Now), events, stored) { Started = s is null };
        }
        string WithPrompt(string text, DialogSession s) => step is null ? text : Join(text, Prompt(flow, s, step));

        switch (command)
        {
            case "cancel" when session is not null:
                return Reply(session with { Status = SessionStatus.Cancelled, UpdatedAt = turn.Now }, flow.Message("cancelled").In(lang));
            case "cancel":
                return Reply(null, flow.Message("nothing_to_cancel").In(lang));
            case "restart":
                return Start(turn, lang, session is null ? Flows.Default : flow);
            case "help":
                return Reply(session, WithPrompt(flow.Message("help").In(lang), session!));
            case "back" when session is not null && step is not null:
                if (session.ChoosingEdit || session.Pending is not null || session.History.IsEmpty)
                    return Reply(session with { ChoosingEdit = false, Pending = null }, Prompt(flow, session, step));
                var previous = flow.Step(session.History[^1]);
                var back = session with { StepId = previous.Id, History = session.History.RemoveAt(session.History.Count - 1), Attempts = 0, UpdatedAt = turn.Now };
                return Reply(back, Prompt(flow, back, previous));
            case "back":
                return null;
            case var language when language.StartsWith("language_", StringComparison.Ordinal):
                var chosen = language["language_".Length..];
                if (session is null)
                {
                    var fresh = Start(turn, chosen, Flows.Default);
                    return fresh with { Events = [new LanguageChanged(chosen), .. fresh.Events] };
                }
                events.Add(new LanguageChanged(chosen));
                var switched = session with { Language = chosen, UpdatedAt = turn.Now };
                return Reply(switched, Join(flow.Message("language_changed").In(chosen), Prompt(flow, switched, step!)));
            case "status" when argument.Length > 0:
                var labels = flow.Messages.Where(m => m.Key.StartsWith("status_", StringComparison.Ordinal))
                    .ToDictionary(m => m.Key["status_".Length..], m => m.Value.In(lang), StringComparer.Ordinal);
                events.Add(new StatusRequested(argument, flow.Message("status").In(lang), flow.Message("status_not_found").In(lang), labels));
                if (session is not null) events.Add(new MessageCreated(Prompt(flow, session, step!)));
                return new DialogStep(session ?? Idle(flow, lang, turn.Now), events, stored) { Started = session is null };
            case "status":
                return Reply(session, session is null ? flow.Message("status_usage").In(lang) : WithPrompt(flow.Message("status_usage").In(lang), session));
            case "stop":
                events.Add(new OptedOut());
                return Reply((session ?? Idle(flow, lang, turn.Now)) with { Status = SessionStatus.Cancelled }, flow.Message("stopped").In(lang));
            case "start":
                var started = Start(turn, lang, Flows.Default);
                return started with { Events = [new OptedIn(), .. started.Events] };
            default:
                return null;
        }
    }

    /// <summary>A session that is already over: stored when a word was handled outside any report.</summary>
    private static DialogSession Idle(FlowDefinition flow, string lang, DateTimeOffset now) => new()
    {
        FlowId = flow.Id, StepId = flow.Steps[0].Id, Language = lang, Status = SessionStatus.Completed, StartedAt = now, UpdatedAt = now,
    };

    private DialogStep Answer(Turn turn, FlowDefinition flow, DialogSession session)
    {
        var lang = session.Language;
        var events = new List<DialogEvent>();
        var step = flow.Step(session.StepId);

        // Words of danger anywhere in a message: the emergency advice first, once, then the same question again.
        if (!session.Flags.Contains("urgent") && flow.IsUrgent(turn.Folded))
        {
            session = session with { Flags = session.Flags.Add("urgent") };
            events.Add(new MessageCreated(Join(flow.Message("urgent").In(lang), Prompt(flow, session, step))));
            return new DialogStep(session, events, NikRedactor.Redact(turn.Input.Text));
        }

        if (session.ChoosingEdit) return ChooseEdit(turn, flow, session, step, events);
        if (session.Pending is { } pending) return ChoosePending(turn, flow, session, step, pending, events);

        var type = InputTypes.All[step.Input!];
        var context = new InputContext(DateOnly.FromDateTime(turn.Now.DateTime), nikProtector, lang, addresses, flow.Vocabulary);
        var input = turn.Input;
        if (step.Input is "text" or "address" && NotAnAnswer(flow, step, session, input, context) is { } aside)
        {
            // A greeting, a global word with more after it, a NIK or a phone number where a name or an address was
            // asked: never taken as the answer. A valid NIK goes to the NIK question; the rest is asked again.
            session = aside.Session;
            if (aside.Remainder is null)
            {
                if (aside.Counts && session.Attempts + 1 >= step.Attempts && step.OnFail is { } fail)
                    return new DialogStep(Fail(flow, session, step, fail, events), events, NikRedactor.Redact(input.Text));
                var again = aside.Retry ? Render(flow, session, step.Retry.In(lang), step) : Prompt(flow, session, step);
                events.Add(new MessageCreated(Join(aside.Notice, again)) { Options = OptionsOf(step, lang) });
                return new DialogStep(aside.Counts ? session with { Attempts = session.Attempts + 1 } : session, events, NikRedactor.Redact(input.Text));
            }
            input = input with { Text = aside.Remainder };
        }
        var result = IsUnknown(flow, step, turn.Folded) is { } unknown
            ? InputResult.Ok(new Answer(unknown.Summary.In(lang)) { Unknown = true, Flags = unknown.Flag is null ? [] : [unknown.Flag] })
            : type.Parse(step, input, context);
        var stored = type.Redact(turn.Input.Text, result);
        if (result.Options is { Count: > 0 } options)
        {
            events.Add(new MessageCreated(ChoiceMenu(flow, session, options)));
            return new DialogStep(session with { Pending = [.. options], Attempts = 0 }, events, stored);
        }
        if (result.Answer is not { } answer)
        {
            if (session.Attempts + 1 >= step.Attempts && step.OnFail is { } onFail)
                return new DialogStep(Fail(flow, session, step, onFail, events), events, stored);
            events.Add(new MessageCreated(Render(flow, session, step.ErrorText(result.Error!).In(lang), step)) { Options = OptionsOf(step, lang) });
            return new DialogStep(session with { Attempts = session.Attempts + 1 }, events, stored);
        }

        return Accept(flow, session, step, answer, events, stored);
    }

    /// <summary>The step's "don't know" answer when the text is one: its own words and the shared vocabulary's, with a
    /// few words after them allowed (<c>lupa NIK-nya</c>); at a yes/no question yes and no are told apart first.</summary>
    private static UnknownAnswer? IsUnknown(FlowDefinition flow, StepDefinition step, string folded)
    {
        if (step.Unknown is not { } unknown) return null;
        IReadOnlyList<string> meanings = step.Input == "yes_no" ? [Vocabulary.Yes, Vocabulary.No, Vocabulary.Unknown] : [Vocabulary.Unknown];
        var extra = new Dictionary<string, IReadOnlyList<string>> { [Vocabulary.Unknown] = unknown.Words };
        // In free text a "don't know" with more after it is usually an answer ("lupa rt-nya, karangrau sokaraja").
        var trailing = step.Input is "text" or "address" ? 1 : Vocabulary.TrailingWords;
        return flow.Vocabulary.Classify(folded, meanings, extra, trailing: trailing) == Vocabulary.Unknown ? unknown : null;
    }

    /// <summary>Why a text is not the answer to a name or address question, or null when it may be.</summary>
    /// <param name="Session">The session, with a NIK found in the text taken as the NIK question's answer.</param>
    /// <param name="Notice">Said before the question again.</param>
    /// <param name="Counts">Whether this counts as a failed attempt (a NIK taken is progress, not a failure).</param>
    /// <param name="Remainder">For an address, the text without the NIK, to be parsed as the answer; null: ask again.</param>
    private sealed record Aside(DialogSession Session, string? Notice, bool Counts, string? Remainder)
    {
        /// <summary>Answer with the step's re-ask (how to answer) rather than the question.</summary>
        public bool Retry { get; init; }
    }

    private static Aside? NotAnAnswer(FlowDefinition flow, StepDefinition step, DialogSession session, DialogInput input, InputContext context)
    {
        var lang = session.Language;
        if (input.Location is not null) return null;
        var folded = TextNormalizer.Normalize(input.Text);
        var tokens = Vocabulary.Tokens(folded);
        // A greeting with a word or two after it ("halo pak", "assalamualaikum wr wb"); at an address only alone, since
        // places are called Siang or Pagi too.
        if (flow.Vocabulary.Classify(folded, [Vocabulary.Greeting], trailing: step.Input == "address" ? 0 : 2) is not null)
            return new Aside(session, null, true, null);
        // A global word with a little more ("batal dong", "status laporan saya") is not a name. Addresses are left
        // alone: Balik Bukit is a kecamatan.
        var commandWords = flow.Commands.Where(c => c.Key != "urgent").SelectMany(c => c.Value).Select(Vocabulary.PhraseTokens).Where(w => w.Count > 0);
        if (step.Input == "text" && step.PatternRegex is null && tokens.Count > 0
            && commandWords.Any(w => w.Count <= tokens.Count && tokens.Count - w.Count <= 2 && w.SequenceEqual(tokens.Take(w.Count))))
            return new Aside(session, null, true, null) { Retry = true };

        if (NikRedactor.Find(input.Text) is { } found)
        {
            var nikStep = flow.Steps.Find(s => s.Input == "nik" && s.Id != step.Id
                && (!session.Answers.TryGetValue(s.Id, out var a) || a.Unknown || a.Skipped));
            string? notice = null;
            if (nikStep is not null && NikRedactor.NiksIn(found, context.Today).FirstOrDefault() is { } nik)
            {
                var parsed = InputTypes.All["nik"].Parse(nikStep, new DialogInput(nik.Digits), context);
                if (parsed.Answer is { } nikAnswer)
                {
                    var ahead = flow.Steps.IndexOf(nikStep) > flow.Steps.IndexOf(step);
                    session = session with
                    {
                        Answers = session.Answers.SetItem(nikStep.Id, nikAnswer),
                        Prefilled = ahead ? session.Prefilled.Add(nikStep.Id) : session.Prefilled,
                    };
                    notice = flow.Message("nik_in_answer").In(lang).Replace("{nik}", nik.Masked, StringComparison.Ordinal);
                }
            }
            var rest = TextNormalizer.CollapseSpaces(input.Text.Remove(found.Index, found.Length));
            if (step.Input == "address") return new Aside(session, null, false, rest);
            return new Aside(session, notice ?? flow.Message("number_in_answer").In(lang), notice is null, null);
        }
        if (step.Input == "text" && step.PatternRegex is null && Indonesia.IndonesianPhone.Find(input.Text) is not null)
            return new Aside(session, flow.Message("number_in_answer").In(lang), true, null);
        return null;
    }

    private static DialogStep Accept(FlowDefinition flow, DialogSession session, StepDefinition step, Answer answer, List<DialogEvent> events, string stored)
    {
        session = session with { Answers = session.Answers.SetItem(step.Id, answer), Attempts = 0, Pending = null };
        var choice = step.Input == "choice" ? step.Choices.Find(c => c.Key == answer.Keys[0]) : null;
        if (choice?.Action == "edit")
        {
            events.Add(new MessageCreated(EditMenu(flow, session)));
            return new DialogStep(session with { ChoosingEdit = true }, events, stored);
        }
        return new DialogStep(Advance(flow, session, step, answer.Keys, choice?.Next, events), events, stored);
    }

    /// <summary>After an answer: a branch by answer key, else back to the summary when editing, else the step's next.</summary>
    private static DialogSession Advance(FlowDefinition flow, DialogSession session, StepDefinition step, IReadOnlyList<string> keys,
        string? choiceNext, List<DialogEvent> events)
    {
        var branch = step.Branches.Find(b => keys.Contains(b.When))?.Next;
        var nextId = branch ?? session.ReturnTo ?? choiceNext ?? step.Next ?? flow.After(step)?.Id;
        session = session with { ReturnTo = branch is null ? null : session.ReturnTo, History = session.History.Add(step.Id) };
        if (nextId is null) return session with { Status = SessionStatus.Completed };
        return Enter(flow, session, flow.Step(nextId), events, prefix: null);
    }

    /// <summary>Too many answers the step could not use: skip it (flagged), or hand the conversation to an officer.</summary>
    private static DialogSession Fail(FlowDefinition flow, DialogSession session, StepDefinition step, string onFail, List<DialogEvent> events)
    {
        var lang = session.Language;
        if (onFail == "handoff")
        {
            events.Add(new HandoffRequested(step.Id, HandoffDraft(flow, session)));
            events.Add(new MessageCreated(flow.Message("handoff").In(lang)));
            return session with { Status = SessionStatus.Handoff, Attempts = 0 };
        }
        var skipped = new Answer(flow.Message("skipped").In(lang)) { Skipped = true, Flags = [step.Unknown?.Flag ?? $"skipped_{step.Id}"] };
        session = session with { Answers = session.Answers.SetItem(step.Id, skipped), Attempts = 0 };
        var notice = flow.Message("skip_notice").In(lang);
        var from = events.Count;
        session = Advance(flow, session, step, [], null, events);
        if (events.Count > from && events[from] is MessageCreated next) events[from] = new MessageCreated(Join(notice, next.Text));
        else events.Insert(from, new MessageCreated(notice));
        return session;
    }

    /// <summary>The answer to "which of these did you mean": a number picks one; <c>0</c> keeps the text as typed,
    /// unresolved and flagged for the officer; anything else shows the list again.</summary>
    private static DialogStep ChoosePending(Turn turn, FlowDefinition flow, DialogSession session, StepDefinition step,
        ImmutableList<Answer> pending, List<DialogEvent> events)
    {
        var stored = NikRedactor.Redact(turn.Input.Text);
        if (NumberWords.Parse(turn.Folded) is { } n && n >= 0 && n <= pending.Count)
        {
            var answer = n == 0 ? pending[0] with { Place = null, Flags = ["address_unresolved"] } : pending[n - 1];
            return Accept(flow, session, step, answer, events, stored);
        }
        // Nobody is shown the same list forever: after the step's attempts the address is kept as typed, for the officer.
        if (session.Attempts + 1 >= step.Attempts)
            return Accept(flow, session, step, pending[0] with { Place = null, Flags = ["address_unresolved"] }, events, stored);
        events.Add(new MessageCreated(ChoiceMenu(flow, session, pending)));
        return new DialogStep(session with { Attempts = session.Attempts + 1 }, events, stored);
    }

    private static string ChoiceMenu(FlowDefinition flow, DialogSession session, IReadOnlyList<Answer> options) =>
        flow.Message("choose_place").In(session.Language)
            .Replace("{options}", Numbered(options.Select(o => o.Place?.Label ?? o.Display)), StringComparison.Ordinal);

    private static DialogStep ChooseEdit(Turn turn, FlowDefinition flow, DialogSession session, StepDefinition confirm, List<DialogEvent> events)
    {
        var editable = Editable(flow, session);
        var target = NumberWords.Parse(turn.Folded) is { } n && n >= 1 && n <= editable.Count
            ? editable[n - 1]
            : editable.Find(s => s.Summary.Values.Any(l => TextNormalizer.Normalize(l) == turn.Folded));
        if (target is null)
        {
            // The menu counts as the confirmation's question: past its attempts, its on_fail (an officer) takes over.
            if (session.Attempts + 1 >= confirm.Attempts && confirm.OnFail is { } onFail)
                return new DialogStep(Fail(flow, session with { ChoosingEdit = false }, confirm, onFail, events), events, NikRedactor.Redact(turn.Input.Text));
            events.Add(new MessageCreated(EditMenu(flow, session)));
            return new DialogStep(session with { Attempts = session.Attempts + 1 }, events, NikRedactor.Redact(turn.Input.Text));
        }
        session = session with { ChoosingEdit = false, ReturnTo = confirm.Id, StepId = target.Id, Attempts = 0 };
        events.Add(new MessageCreated(Prompt(flow, session, target)));
        return new DialogStep(session, events, NikRedactor.Redact(turn.Input.Text));
    }

    /// <summary>Moves to a step: a question is asked; actions run (<c>say</c>, <c>create_case</c>, <c>handoff</c>)
    /// until a question or the end, at most <see cref="StepLimit"/> steps.</summary>
    private static DialogSession Enter(FlowDefinition flow, DialogSession session, StepDefinition step, List<DialogEvent> events, string? prefix)
    {
        for (var passed = 0; passed < StepLimit; passed++)
        {
            if (step.Flag is { } flag) session = session with { Flags = session.Flags.Add(flag) };
            switch (step.Action)
            {
                case null when session.Prefilled.Contains(step.Id) && session.Answers.TryGetValue(step.Id, out var given):
                    // Answered already, inside an earlier answer (a NIK typed with the name): not asked again.
                    session = session with { Prefilled = session.Prefilled.Remove(step.Id), History = session.History.Add(step.Id) };
                    step = flow.Step(step.Branches.Find(b => given.Keys.Contains(b.When))?.Next ?? step.Next ?? flow.After(step)?.Id
                        ?? throw new FlowException($"Flow '{flow.Id}' ends at question '{step.Id}'."));
                    continue;
                case null:
                    session = session with { StepId = step.Id, Attempts = 0 };
                    events.Add(new MessageCreated(Join(prefix, Prompt(flow, session, step))) { Options = OptionsOf(step, session.Language) });
                    return session;
                case "create_case":
                    var draft = CaseDraft.FromSession(session, step);
                    var duplicate = flow.Message("duplicate") is { Count: > 0 } d ? d.In(session.Language) : step.Say.In(session.Language);
                    events.Add(new CaseRequested(draft, Join(prefix, Render(flow, session, step.Say.In(session.Language), step)), Join(prefix, duplicate)));
                    return session with { StepId = step.Id, Status = SessionStatus.Completed };
                case "handoff":
                    events.Add(new HandoffRequested(step.Id, HandoffDraft(flow, session)));
                    events.Add(new MessageCreated(Join(prefix, Render(flow, session, step.Say.In(session.Language), step))));
                    return session with { StepId = step.Id, Status = SessionStatus.Handoff };
                case "say":
                    prefix = Join(prefix, Render(flow, session, step.Say.In(session.Language), step));
                    break;
            }
            var nextId = step.Next ?? flow.After(step)?.Id;
            if (nextId is null)
            {
                if (prefix is not null) events.Add(new MessageCreated(prefix));
                return session with { StepId = step.Id, Status = SessionStatus.Completed };
            }
            step = flow.Step(nextId);
        }
        throw new FlowException($"Flow '{flow.Id}' passed {StepLimit} steps without asking anything: it loops (at step '{step.Id}').");
    }

    /// <summary>What the citizen told us before the handoff, as the flow's <c>create_case</c> would take it.</summary>
    private static CaseDraft HandoffDraft(FlowDefinition flow, DialogSession session) =>
        flow.Steps.Find(s => s.Action == "create_case") is { } create
            ? CaseDraft.FromSession(session, create)
            : new CaseDraft { PatientName = "", Address = "", Flags = [.. session.Flags], Media = session.Media };

    /// <summary>The tappable answers of a single-choice question: its choice labels, or yes/no. Multi-choice and free
    /// answers have none (a button sends one answer; the numbered menu in the text stays the way for SMS).</summary>
    private static List<string> OptionsOf(StepDefinition step, string language) => step.Input switch
    {
        "choice" => step.Choices.Select(c => c.Label.In(language)).ToList(),
        "yes_no" => language == "en" ? ["Yes", "No"] : ["Ya", "Tidak"],
        _ => [],
    };

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
                .Select(s => $"{s.Summary.In(lang)}: {session.Answers[s.Id].DisplayIn(flow, s, lang)}");
            template = template.Replace("{summary}", string.Join('\n', lines), StringComparison.Ordinal);
        }
        return template;
    }

    private static string EditMenu(FlowDefinition flow, DialogSession session) =>
        flow.Message("edit_menu").In(session.Language)
            .Replace("{options}", Numbered(Editable(flow, session).Select(s => s.Summary.In(session.Language))), StringComparison.Ordinal);

    private static List<StepDefinition> Editable(FlowDefinition flow, DialogSession session) =>
        flow.Steps.Where(s => s.Summary.Count > 0 && !s.IsAction && session.Answers.ContainsKey(s.Id)).ToList();

    private static string Numbered(IEnumerable<string> labels)
    {
        var sb = new StringBuilder();
        var i = 1;
        foreach (var label in labels)
            sb.Append(sb.Length > 0 ? "\n" : "").Append(i++.ToString(CultureInfo.InvariantCulture)).Append(". ").Append(label);
        return sb.ToString();
    }

    private static string Join(string? first, string second) => string.IsNullOrEmpty(first) ? second : first + "\n" + second;

    private sealed record Turn(DialogInput Input, string Folded, DateTimeOffset Now);
}
