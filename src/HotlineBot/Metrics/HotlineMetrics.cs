using System.Diagnostics.Metrics;
using HotlineBot.Storage;

namespace HotlineBot.Metrics;

/// <summary>
/// The hotline's own meters, exported with ASP.NET Core's, HttpClient's and the runtime's at <c>GET /metrics</c>
/// (Prometheus text). Names as Prometheus shows them: <c>hotline_webhook_requests_total{provider,status,outcome}</c>,
/// <c>hotline_dialog_steps_total</c>, <c>hotline_dialog_handoffs_total</c>, <c>hotline_cases_created_total</c>,
/// <c>hotline_outbox_messages{state,provider}</c> (read from the database at each scrape),
/// <c>hotline_case_notification_delay_seconds</c> (a case's creation to its partner notification leaving),
/// <c>hotline_provider_errors_total{provider,result,code}</c>, <c>hotline_sla_breaches_total{deadline}</c>,
/// <c>hotline_outbox_sweep_rescued_total</c>, <c>hotline_outbox_runs_total{found}</c>. Counters are recorded after the commit they count.
/// </summary>
public sealed class HotlineMetrics
{
    public const string MeterName = "HotlineBot";
    private readonly Counter<long> _webhooks;
    private readonly Counter<long> _steps;
    private readonly Counter<long> _handoffs;
    private readonly Counter<long> _cases;
    private readonly Histogram<double> _notificationDelay;
    private readonly Counter<long> _providerErrors;
    private readonly Counter<long> _slaBreaches;
    private readonly Counter<long> _sweepRescued;
    private readonly Counter<long> _outboxRuns;

    public HotlineMetrics(IMeterFactory meters, Database database)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _webhooks = meter.CreateCounter<long>("hotline.webhook.requests", description: "Webhook requests by provider, HTTP status and outcome");
        _steps = meter.CreateCounter<long>("hotline.dialog.steps", description: "Citizen messages run through a dialog");
        _handoffs = meter.CreateCounter<long>("hotline.dialog.handoffs", description: "Conversations handed to the duty officers");
        _cases = meter.CreateCounter<long>("hotline.cases.created", description: "Cases created from reports");
        _notificationDelay = meter.CreateHistogram<double>("hotline.case.notification.delay", unit: "s",
            description: "From a case's creation to a partner notification about it leaving", advice: new InstrumentAdvice<double>
            {
                HistogramBucketBoundaries = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 1800, 3600],
            });
        _providerErrors = meter.CreateCounter<long>("hotline.provider.errors", description: "Sends a provider did not take, by result and error code");
        _slaBreaches = meter.CreateCounter<long>("hotline.sla.breaches", description: "SLA deadlines passed, by deadline");
        _sweepRescued = meter.CreateCounter<long>("hotline.outbox.sweep.rescued", description: "Outbox messages the sweep found due and re-enqueued");
        _outboxRuns = meter.CreateCounter<long>("hotline.outbox.runs", description:
            "Delivery runs by what they found: ready (sent or tried), paced (back to the queue for its pacing slot), waiting (behind an earlier message to the same contact), not_due, done (sent, failed or taken meanwhile), opted_out");
        meter.CreateObservableGauge("hotline.outbox.messages", () => OutboxDepth(database), description: "Outbound messages by state and provider");
    }

    public void Webhook(string provider, int status, string outcome) =>
        _webhooks.Add(1, new("provider", provider), new("status", status), new("outcome", outcome));

    public void DialogStep(bool handoff)
    {
        _steps.Add(1);
        if (handoff) _handoffs.Add(1);
    }

    public void CaseCreated() => _cases.Add(1);

    public void NotificationLeft(TimeSpan sinceCaseCreated) => _notificationDelay.Record(Math.Max(0, sinceCaseCreated.TotalSeconds));

    public void ProviderError(string provider, string result, int? code) =>
        _providerErrors.Add(1, new("provider", provider), new("result", result), new("code", code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"));

    public void SlaBreached(string deadline) => _slaBreaches.Add(1, new KeyValuePair<string, object?>("deadline", deadline));

    /// <summary>Every sweep adds, zero included, so the series exists (and alerts on it work) before the first rescue.</summary>
    public void SweepRescued(int count) => _sweepRescued.Add(count);

    /// <summary>One delivery run of an outbox message, by what it found (<see cref="Jobs.DeliverMessageJob"/>). Runs that
    /// find their message waiting or done are work spent for nothing: many of them mean messages are handed to runs
    /// before their turn.</summary>
    public void OutboxRun(string found) => _outboxRuns.Add(1, new KeyValuePair<string, object?>("found", found));

    // Read at each scrape (Prometheus asks every 15–60 s): the database, not a counter in this process, says what waits.
    // The exporter's callback is synchronous, hence the blocking open.
    private static List<Measurement<long>> OutboxDepth(Database database)
    {
        using var connection = database.OpenAsync(CancellationToken.None).GetAwaiter().GetResult();
        return MessageStore.OutboxDepth(connection)
            .Select(r => new Measurement<long>(r.Count, new("state", r.State), new("provider", r.Provider)))
            .ToList();
    }
}
