using System.Data.Common;
using Hangfire;
using HotlineBot.Channels;
using HotlineBot.Jobs;
using HotlineBot.Configuration;
using HotlineBot.Core.Cases;
using HotlineBot.Core.Dialogs;
using HotlineBot.Core.Routing;
using HotlineBot.Storage;
using Microsoft.Extensions.Options;

namespace HotlineBot.Cases;

/// <summary>
/// Asks partners to take a case, in the caller's transaction: picks them (<see cref="Router"/>), records the
/// assignments, and writes one notification per partner to the outbox; needs nobody can take go to the duty officers.
/// Returns the outbox ids for the caller to enqueue after commit.
/// </summary>
public sealed class CaseRouting(PartnerStore partners, CaseStore cases, ContactStore contacts, MessageStore messages,
    IOptions<RoutingOptions> routing, IOptions<SlaOptions> sla, IBackgroundJobClient jobs, ChannelRegistry channels, IOptions<HotlineOptions> hotline,
    Database database)
{
    /// <param name="needs">The needs to route (all of the case's, or those a partner declined).</param>
    /// <param name="exclude">Partners already asked, per need: never asked twice.</param>
    /// <param name="alertOfficers">False when the caller tells the officers itself (SLA escalation), so they get one message.</param>
    public async Task<List<long>> RouteAsync(DbTransaction tx, CaseSummary summary, IReadOnlyList<string> needs,
        IReadOnlySet<(string Need, string PartnerId)> exclude, string reason, long now, bool alertOfficers = true)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var position = summary.Latitude is { } lat && summary.Longitude is { } lon ? new GeoPoint(lat, lon) : null;
        var picks = Router.Pick(new RoutingRequest(summary.DistrictCode, position, needs), await partners.ListActiveAsync(tx),
            routing.Value.FanOut, exclude);

        var queued = new List<long>();
        foreach (var group in picks.Values.SelectMany(c => c).GroupBy(c => c.Partner.Id, StringComparer.Ordinal))
        {
            var partner = group.First().Partner;
            var partnerNeeds = group.Select(c => c.Need).ToList();
            foreach (var need in partnerNeeds) await cases.AddAssignmentAsync(tx, summary.Id, partner.Id, need, now);
            var text = CaseMessages.PartnerNotification(summary.Code, summary.PatientName, summary.NikMasked, summary.Address, partnerNeeds, summary.Urgent);
            queued.Add(await QueueAsync(tx, partner.Contact, text, now, "partner_notification", summary.Simulated, summary.Id));
            await cases.AddEventAsync(tx, summary.Id, "notified", "system", $"{partner.Id}: {string.Join(',', partnerNeeds)}", now);
        }

        var nobody = picks.Where(p => p.Value.Count == 0).Select(p => p.Key).ToList();
        if (nobody.Count > 0)
        {
            await cases.AddFlagAsync(tx, summary.Id, "unrouted");
            await cases.AddEventAsync(tx, summary.Id, "unrouted", "system", $"{reason}: {string.Join(',', nobody)}", now);
            if (alertOfficers) queued.AddRange(await AlertOfficersAsync(tx, summary.Id, summary.Code, nobody, reason, now, summary.Simulated));
        }
        // The accept deadline starts once, when partners are first asked; after a breach the duty officers own the case.
        if (summary.Status == CaseStatus.New && picks.Values.Any(c => c.Count > 0)) await StartAcceptDeadlineAsync(tx, summary.Id, now);
        return queued;
    }

    /// <summary>The case waits for a partner from now on: status <c>routed</c>, the accept deadline set, and the
    /// escalation scheduled for it. The one place this happens (routing, an officer's assignment).</summary>
    public async Task StartAcceptDeadlineAsync(DbTransaction tx, long caseId, long now)
    {
        await cases.SetStatusAsync(tx, caseId, CaseStatus.Routed, now, acceptDueAt: now + (long)sla.Value.AcceptWithin.TotalMilliseconds);
        ScheduleEscalation(tx, sla.Value.AcceptWithin);
    }

    /// <summary>The escalation job at a deadline, on time rather than at the next minute (Hangfire polls scheduled jobs
    /// every few seconds), once the transaction that set it commits. Lost with the process, the minutely run still finds
    /// the deadline in the database.</summary>
    public void ScheduleEscalation(DbTransaction tx, TimeSpan after) =>
        database.OnCommitted(tx, () => jobs.Schedule<EscalateOverdueCasesJob>(j => j.RunAsync(CancellationToken.None), after + TimeSpan.FromSeconds(1)));

    public Task<List<long>> AlertOfficersAsync(DbTransaction tx, long caseId, string code, IReadOnlyList<string> needs, string reason, long now, bool simulated = false) =>
        AlertOfficersAsync(tx, caseId, now, simulated, CaseMessages.OfficerAlert(code, needs, reason, CaseUrl(code)));

    /// <summary>The same text to every duty officer's phone (<c>Routing:OfficerContacts</c>), through the outbox.</summary>
    public async Task<List<long>> AlertOfficersAsync(DbTransaction tx, long caseId, long now, bool simulated, string text)
    {
        var queued = new List<long>();
        foreach (var officer in routing.Value.OfficerContacts.Select(PartnersFile.Contact).OfType<string>())
            queued.Add(await QueueAsync(tx, officer, text, now, "officer_alert", simulated, caseId));
        return queued;
    }

    /// <summary>An outbox row to any address, creating its contact row on first use. For a simulated case the same
    /// number's simulated phone gets it instead: a demo never texts a real person.</summary>
    /// <param name="caseId">The case the message is about, for that case's page.</param>
    public async Task<long> QueueAsync(DbTransaction tx, string address, string text, long now, string kind, bool simulated = false, long? caseId = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (simulated) address = Simulated(address);
        var contact = await contacts.RecipientAsync(tx, address, ContactStore.ChannelOf(address), now);
        return await messages.InsertQueuedAsync(tx, contact.Id, channels.ProviderFor(address), text, now, kind: kind, caseId: caseId);
    }

    /// <summary>The case's dashboard page at <c>Hotline:PublicBaseUrl</c>, or null when that is not set.</summary>
    public string? CaseUrl(string code) =>
        hotline.Value.PublicBaseUrl is { Length: > 0 } baseUrl ? $"{baseUrl.TrimEnd('/')}/kasus/{code}" : null;

    /// <summary><c>tel:+62…</c> or <c>whatsapp:+62…</c> → <c>sim:+62…</c>.</summary>
    public static string Simulated(string address) => "sim:" + address[(address.IndexOf(':', StringComparison.Ordinal) + 1)..];
}
