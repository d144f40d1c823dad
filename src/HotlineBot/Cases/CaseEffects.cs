using System.Data.Common;
using Hangfire;
using HotlineBot.Channels;
using HotlineBot.Configuration;
using HotlineBot.Core.Cases;
using HotlineBot.Core.Routing;
using HotlineBot.Jobs;
using HotlineBot.Storage;
using Microsoft.Extensions.Options;

namespace HotlineBot.Cases;

/// <summary>
/// The one place a case changes: <see cref="DecideAsync"/> runs the pure <see cref="CaseEngine"/> on the case as
/// loaded and turns each effect it returns into rows (events, status, assignments, outbox messages) and jobs (the
/// escalation at a deadline, metrics after commit), in the caller's transaction. The webhook pipeline, partners' codes,
/// officers' actions and the escalation job all come through here. The caller takes the case's lock before loading it
/// and enqueues the returned outbox ids after commit.
/// </summary>
public sealed class CaseEffects(CaseStore cases, PartnerStore partners, ContactStore contacts, MessageStore messages, ChannelRegistry channels,
    IOptions<RoutingOptions> routing, IOptions<SlaOptions> sla, IOptions<HotlineOptions> hotline, EscalationSchedule escalations, Database database,
    Metrics.HotlineMetrics metrics)
{
    /// <summary>Every effect the engine may return. A type missing here fails a test (<c>CaseEffectsTests</c>) and,
    /// were one to reach the switch below, the transaction: no effect is dropped silently.</summary>
    public static readonly IReadOnlySet<Type> HandledEffects = new HashSet<Type>
    {
        typeof(EventRecorded), typeof(OtherCaseEventRecorded), typeof(StatusChanged), typeof(EscalationDue), typeof(PartnerAsked),
        typeof(AssignmentsMoved), typeof(PartnerTold), typeof(ReporterTold), typeof(OfficersAlerted), typeof(FlagAdded),
        typeof(MediaAdded), typeof(MarkedDuplicateOf), typeof(SlaBreached),
    };

    public CaseRules Rules => new(sla.Value.AcceptWithin, sla.Value.ArriveWithin, sla.Value.ResolveWithin, routing.Value.FanOut);

    /// <summary>Decides <paramref name="command"/> on <paramref name="state"/> and applies the outcome.</summary>
    /// <returns>The outcome, and the outbox ids to enqueue after commit.</returns>
    public async Task<(CaseOutcome Outcome, List<QueuedMessage> Queued)> DecideAsync(DbTransaction tx, CaseState state, CaseCommand command, long now)
    {
        ArgumentNullException.ThrowIfNull(state);
        // Only decisions that may pick a partner read the partners table.
        var candidates = command is ReportCase or PartnerCode or DeadlinePassed or OfficerAssigns or OfficerMessages
            ? await partners.ListActiveAsync(tx) : [];
        var outcome = CaseEngine.Decide(state, command, new CaseContext(now, Rules, candidates, CaseUrl(state.Code)));
        return (outcome, await ApplyAsync(tx, state, outcome.Effects, now));
    }

    private async Task<List<QueuedMessage>> ApplyAsync(DbTransaction tx, CaseState state, IReadOnlyList<CaseEffect> effects, long now)
    {
        var queued = new List<QueuedMessage>();
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case EventRecorded e:
                    await cases.AddEventAsync(tx, state.Id, e.Kind, e.Actor, e.Detail, now);
                    break;
                case OtherCaseEventRecorded e:
                    await cases.AddEventAsync(tx, e.CaseId, e.Kind, e.Actor, e.Detail, now);
                    break;
                case StatusChanged changed:
                    await cases.SetStatusAsync(tx, state.Id, changed, now);
                    break;
                case EscalationDue due:
                    // On time rather than at the next minute, once this commits; lost with the process, the minutely
                    // run still finds the deadline in the database.
                    database.OnCommitted(tx, () => escalations.After(due.After));
                    break;
                case PartnerAsked asked:
                    foreach (var need in asked.Needs) await cases.AddAssignmentAsync(tx, state.Id, asked.PartnerId, need, now);
                    queued.Add(await QueueAsync(tx, asked.Contact, asked.Text, now, "partner_notification", state.Simulated, state.Id));
                    break;
                case AssignmentsMoved moved:
                    await cases.SetAssignmentsAsync(tx, state.Id, moved.PartnerId, [.. moved.From], moved.To, now);
                    break;
                case PartnerTold told:
                    queued.Add(await QueueAsync(tx, told.Contact, told.Text, now, "partner_notification", state.Simulated, state.Id));
                    break;
                case ReporterTold told:
                    queued.Add(await QueueAsync(tx, state.ReporterAddress, told.Text, now, "reporter_update", state.Simulated, state.Id));
                    break;
                case OfficersAlerted alert:
                    // The same text to every duty officer's phone (Routing:OfficerContacts), through the outbox.
                    foreach (var officer in routing.Value.OfficerContacts.Select(PartnersFile.Contact).OfType<string>())
                        queued.Add(await QueueAsync(tx, officer, alert.Text, now, "officer_alert", state.Simulated, state.Id));
                    break;
                case FlagAdded flag:
                    await cases.AddFlagAsync(tx, state.Id, flag.Flag);
                    break;
                case MediaAdded media:
                    await cases.AddMediaAsync(tx, state.Id, media.Media);
                    break;
                case MarkedDuplicateOf duplicate:
                    await cases.SetDuplicateOfAsync(tx, state.Id, duplicate.Code);
                    break;
                case SlaBreached breach:
                    database.OnCommitted(tx, () => metrics.SlaBreached(breach.Deadline));
                    break;
                default:
                    throw new InvalidOperationException($"No applier for case effect {effect.GetType().Name}: add it to {nameof(CaseEffects)}.");
            }
        }
        return queued;
    }

    /// <summary>An outbox row to any address, creating its contact row on first use. For a simulated case the same
    /// number's simulated phone gets it instead: a demo never texts a real person.</summary>
    /// <param name="caseId">The case the message is about, for that case's page.</param>
    private async Task<QueuedMessage> QueueAsync(DbTransaction tx, string address, string text, long now, string kind, bool simulated, long caseId)
    {
        if (simulated) address = Simulated(address);
        var contact = await contacts.RecipientAsync(tx, address, ContactStore.ChannelOf(address), now);
        return await messages.InsertQueuedAsync(tx, contact.Id, channels.ProviderFor(address), text, now, kind: kind, caseId: caseId);
    }

    /// <summary>The case's dashboard page at <c>Hotline:PublicBaseUrl</c>, or null when that is not set.</summary>
    public string? CaseUrl(string code) =>
        hotline.Value.PublicBaseUrl is { Length: > 0 } baseUrl ? $"{baseUrl.TrimEnd('/')}/kasus/{code}" : null;

    /// <summary><c>tel:+62…</c> or <c>whatsapp:+62…</c> → <c>sim:+62…</c>.</summary>
    private static string Simulated(string address) => "sim:" + address[(address.IndexOf(':', StringComparison.Ordinal) + 1)..];
}
