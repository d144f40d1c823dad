using System.Data.Common;
using HotlineBot.Cases;
using HotlineBot.Channels;
using Hangfire;
using HotlineBot.Core.Cases;
using HotlineBot.Core.Commands;
using HotlineBot.Core.Dialogs;
using HotlineBot.Core.Indonesia;
using HotlineBot.Jobs;
using HotlineBot.Storage;

namespace HotlineBot.Webhooks;

/// <summary>
/// What happens to every inbound message, whatever the provider, atomically: dedupe on the provider's id, run the
/// dialog, store any case, then the message (NIK masked), the new state and the replies (<see cref="TurnStore"/>).
/// The task completes only after the commit, so the webhook answers 2xx only for what is stored. A retried message id
/// gets the replies stored the first time and changes nothing.
/// </summary>
public sealed class InboundPipeline(
    Database database, DialogEngine engine, ContactStore contacts, ConversationStore conversations,
    MessageStore messages, TurnStore turns, CaseStore cases, CaseCodes codes, PartnerStore partners, PartnerCommands partnerCommands,
    CaseEffects caseEffects, Handoffs handoffs, ChannelRegistry channels, OutboxDispatcher outbox, TimeProvider time, Dashboard.LiveUpdates live,
    Metrics.HotlineMetrics metrics)
{
    /// <summary>Every engine event this pipeline carries out. An event type missing here fails a test
    /// (<c>InboundPipelineTests</c>) and, were one to reach the switch below, the message: nothing is dropped silently.</summary>
    public static readonly IReadOnlySet<Type> HandledEvents = new HashSet<Type>
    {
        typeof(MessageCreated), typeof(CaseRequested), typeof(StatusRequested), typeof(LanguageChanged), typeof(OptedOut),
        typeof(OptedIn), typeof(HandoffRequested),
    };

    public async Task<IReadOnlyList<string>> ProcessAsync(InboundMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        message = WithoutNul(message);
        var (replies, queued) = await database.WriteAsync(tx => ApplyAsync(tx, message), ct);
        live.Publish();
        // Committed: now the outbox rows may go. Were this process to die here, the outbox sweep would send them.
        foreach (var outgoing in queued) outbox.Post(outgoing);
        return replies;
    }

    /// <summary>PostgreSQL text cannot hold U+0000 (SQLite can): a NUL a sender put anywhere is dropped before anything
    /// is stored, so the same message is taken on either engine instead of failing on one.</summary>
    public static InboundMessage WithoutNul(InboundMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        static string Clean(string text) => text.Contains('\0', StringComparison.Ordinal) ? text.Replace("\0", "", StringComparison.Ordinal) : text;
        return message with
        {
            ProviderMessageId = Clean(message.ProviderMessageId), ContactAddress = Clean(message.ContactAddress), Text = Clean(message.Text),
            Location = message.Location is { Label: { } label } at ? at with { Label = Clean(label) } : message.Location,
            ExternalUserId = message.ExternalUserId is { } id ? Clean(id) : null,
            Media = message.Media.Select(Clean).ToList(),
        };
    }

    private async Task<(IReadOnlyList<string> Replies, List<QueuedMessage> Queued)> ApplyAsync(DbTransaction tx, InboundMessage message)
    {
        var now = time.GetUtcNow();
        var ms = now.ToUnixTimeMilliseconds();
        // The contact's row lock first (the upsert takes it): one sender's messages apply one at a time, on any instance,
        // and a retry of one of them is recognized only after the first try committed or rolled back.
        var contact = await contacts.UpsertInboundAsync(tx, message.ContactAddress, message.Channel, ms, message.ExternalUserId);
        var (seen, latest) = await conversations.FindTurnAsync(tx, contact.Id, message.Provider, message.ProviderMessageId);
        if (seen is { } first)
            return (await messages.RepliesToAsync(tx, first), []);      // a retry: the same replies, nothing else written
        var queued = new List<QueuedMessage>();

        // A registered partner's status code (TERIMA 4821, ...) acts on a case; anything else they send is a message
        // like anyone's (a partner may report a case too).
        // (The text first: only a status code needs the partners table.)
        if (StatusCode.Parse(message.Text) is { } command && await partners.FindByContactAsync(tx, contact.Address) is { } partner)
        {
            var (answer, sent, caseId) = await partnerCommands.ApplyAsync(tx, partner, command, ms, contact.Address.StartsWith("sim:", StringComparison.Ordinal));
            var answers = new List<string> { answer };
            sent.AddRange(await StoreTurnAsync(tx, message, contact.Id, message.Text, ms, answers, caseId: caseId));
            return (answers, sent);
        }
        var session = latest is { Status: "active" or "expired" } ? DialogJson.Deserialize(latest.State) : null;
        var input = (message.Location is { } at
            ? new DialogInput(message.Text, new GeoPoint(at.Latitude, at.Longitude), at.Label)
            : new DialogInput(message.Text)) with { Media = message.Media };
        var step = engine.Handle(session, input, contact.Language, now);
        var handedOff = step.Events.OfType<HandoffRequested>().Any();
        database.OnCommitted(tx, () => metrics.DialogStep(handedOff));     // counted once it is stored, never for a rolled-back try

        var row = ConversationRows.Of(step.Session, engine);
        long conversationId;
        (long, ConversationWrite)? goesOn = null;      // written with the message, at the end of the turn
        if (latest is not { Status: "active" } || step.Started)
        {
            // Written first: a case made in this turn names its conversation.
            if (latest is { Status: "active" }) await conversations.CloseAsync(tx, latest.Id, "replaced", ms);
            conversationId = await conversations.InsertAsync(tx, contact.Id, row, ms);
        }
        else
        {
            conversationId = latest.Id;
            goesOn = (conversationId, row);
        }

        var replies = new List<string>(step.Events.Count);
        var options = new Dictionary<int, IReadOnlyList<string>>();
        foreach (var e in step.Events)
        {
            switch (e)
            {
                case MessageCreated created:
                    if (created.Options.Count > 0) options[replies.Count] = created.Options;
                    replies.Add(created.Text);
                    break;
                // Reports about one patient (one NIK) are decided one at a time, so two at once make one case, not two.
                case CaseRequested requested when requested.Draft.Nik is { } nik && await cases.LockPatientAsync(tx, nik.BlindIndex)
                    && await cases.FindOpenByNikIndexAsync(tx, nik.BlindIndex, contact.Address.StartsWith("sim:", StringComparison.Ordinal)) is { } existing:
                    // The same patient already has an open case: this report joins it. Partners are not asked twice;
                    // the officers see the second report on the case.
                    await cases.LockAsync(tx, existing);     // its media are read, merged and written back
                    await caseEffects.DecideAsync(tx, (await cases.FindStateAsync(tx, existing))!, new SecondReport(contact.Address,
                        $"{requested.Draft.PatientName}; {requested.Draft.Address}; {CaseMessages.Needs(requested.Draft.Needs)}", requested.Draft.Media), ms);
                    replies.Add(requested.Duplicate.Replace("{case_code}", existing, StringComparison.Ordinal));
                    await handoffs.SupersedeAsync(tx, contact.Id, requested.Draft, existing, ms);
                    break;
                case CaseRequested requested:
                    var draft = contact.Address.StartsWith("sim:", StringComparison.Ordinal)
                        ? requested.Draft with { Flags = [.. requested.Draft.Flags.Append(CaseFlags.Simulated).Distinct(StringComparer.Ordinal)] }
                        : requested.Draft;
                    var (caseId, code) = await cases.InsertAsync(tx, draft, contact.Id, conversationId, codes.Candidate, ms);
                    database.OnCommitted(tx, metrics.CaseCreated);
                    queued.AddRange((await caseEffects.DecideAsync(tx, await cases.GetStateAsync(tx, caseId), new ReportCase(contact.Address), ms)).Queued);
                    replies.Add(requested.Confirmation.Replace("{case_code}", code, StringComparison.Ordinal));
                    await handoffs.SupersedeAsync(tx, contact.Id, requested.Draft, code, ms);
                    break;
                case StatusRequested asked:
                    var found = await cases.FindStatusAsync(tx, asked.Code, contact.Id, contact.Address);
                    replies.Add(found is null
                        ? asked.NotFound
                        : asked.Found.Replace("{case_code}", asked.Code, StringComparison.Ordinal)
                            .Replace("{status}", asked.StatusLabels.GetValueOrDefault(found, found), StringComparison.Ordinal));
                    break;
                case LanguageChanged changed:
                    await contacts.SetLanguageAsync(tx, contact.Id, changed.Language);
                    break;
                case OptedOut:
                    await contacts.SetOptedOutAsync(tx, contact.Id, true);
                    break;
                case OptedIn:
                    await contacts.SetOptedOutAsync(tx, contact.Id, false);
                    break;
                case HandoffRequested handoff:
                    // The citizen has just been told an officer will contact them: an officer must hear of it.
                    var flow = engine.Flows.Find(step.Session.FlowId);
                    var where = flow?.Steps.Find(s => s.Id == handoff.StepId) is { Summary.Count: > 0 } stuck ? stuck.Summary.In("id") : handoff.StepId;
                    queued.AddRange(await handoffs.OpenAsync(tx, handoff, contact.Id, contact.Address, conversationId, where, ms));
                    break;
                default:
                    throw new InvalidOperationException($"No handler for dialog event {e.GetType().Name}: add it to {nameof(InboundPipeline)}.");
            }
        }
        queued.AddRange(await StoreTurnAsync(tx, message, contact.Id, step.StoredInput, ms, replies, conversation: goesOn, options: options));
        return (replies, queued);
    }

    /// <summary>The message, the conversation's new state and the replies (<see cref="TurnStore"/>). Replies ride the
    /// webhook response where the provider allows it (TwiML); otherwise they are outbox rows. Either way they are tied to
    /// the message they answer, so a retried webhook finds them and sends nothing twice.</summary>
    private Task<List<QueuedMessage>> StoreTurnAsync(DbTransaction tx, InboundMessage message, long contactId, string body, long ms, List<string> replies,
        long? caseId = null, (long, ConversationWrite)? conversation = null, IReadOnlyDictionary<int, IReadOnlyList<string>>? options = null)
    {
        for (var i = 0; i < replies.Count; i++) replies[i] = NikRedactor.Redact(replies[i]);     // what is sent is what is stored: never a NIK
        return turns.WriteAsync(tx, new TurnWrite(contactId, message.Provider, message.ProviderMessageId, body, ms, replies,
            channels.ForProvider(message.Provider).RepliesInline, caseId, conversation, options));
    }
}
