using System.Globalization;
using CsvHelper;
using Dapper;
using HotlineBot.Configuration;
using HotlineBot.Core.Indonesia.Regions;
using HotlineBot.Storage;
using Microsoft.Extensions.Options;

namespace HotlineBot.Dashboard;

/// <summary>One case as the reports count it: no name, no NIK, only what the figures need.</summary>
public sealed class ReportCase
{
    public string Code { get; init; } = "";
    public long CreatedAt { get; init; }
    public string Status { get; init; } = "";
    public string Needs { get; init; } = "";
    public string? DistrictCode { get; init; }
    public string? NikIndex { get; init; }
    public string Flags { get; init; } = "";
    public long? AcceptedAt { get; init; }
    public long? ArrivedAt { get; init; }
    public long? ResolvedAt { get; init; }

    public string District => DistrictCode is { } code && RegionIndex.Default.Find(code) is { } r ? r.Name : "";
    public double? MinutesToAccept => Minutes(AcceptedAt);
    public double? MinutesToArrive => Minutes(ArrivedAt);
    public double? MinutesToResolve => Minutes(ResolvedAt);
    private double? Minutes(long? at) => at is { } t ? (t - CreatedAt) / 60_000.0 : null;
}

public sealed class PartnerResponse
{
    public string PartnerId { get; init; } = "";
    public string Name { get; init; } = "";
    public long Asked { get; init; }
    public long Accepted { get; init; }
    public long Declined { get; init; }
    public long Unanswered { get; init; }
    public double? MedianMinutesToAnswer { get; set; }
}

public sealed record SlaCompliance(string Deadline, int Measured, int OnTime)
{
    public double? Percent => Measured == 0 ? null : 100.0 * OnTime / Measured;
}

public sealed record YearFigures(int Year, int Reported, int Resolved, int Beneficiaries);

public sealed record ReportData(
    IReadOnlyList<ReportCase> Cases,
    IReadOnlyList<(string Month, int Count)> PerMonth,
    IReadOnlyList<(string Need, int Count)> ByNeed,
    IReadOnlyList<(string District, int Count)> ByDistrict,
    double? MedianMinutesToAccept, double? MedianMinutesToArrive, double? MedianMinutesToResolve,
    IReadOnlyList<SlaCompliance> Sla,
    IReadOnlyList<PartnerResponse> Partners,
    IReadOnlyList<YearFigures> Years);

/// <summary>
/// The figures the seed programs report: cases per month, need and district; median times to accept, arrive and
/// resolve (from the report to the first TERIMA/TIBA/SELESAI, a partner's or an officer's); SLA compliance against
/// <c>Sla:*</c>; how partners answer; beneficiaries per year (distinct patients by the NIK's blind index).
/// </summary>
public sealed class Reports(Database database, IOptions<SlaOptions> sla, OfficeTime office)
{
    private const string SqlCases = """
        SELECT c.code AS Code, c.created_at AS CreatedAt, c.status AS Status, c.needs AS Needs, c.district_code AS DistrictCode,
               c.nik_index AS NikIndex, c.flags AS Flags,
               (SELECT min(e.created_at) FROM case_events e WHERE e.case_id = c.id AND e.kind = 'accept') AS AcceptedAt,
               (SELECT min(e.created_at) FROM case_events e WHERE e.case_id = c.id AND e.kind = 'arrive') AS ArrivedAt,
               (SELECT min(e.created_at) FROM case_events e WHERE e.case_id = c.id AND e.kind = 'resolve') AS ResolvedAt
        FROM cases c WHERE c.created_at >= @From AND c.created_at < @To AND c.duplicate_of IS NULL
        ORDER BY c.id
        """;

    private const string SqlPartners = """
        SELECT a.partner_id AS PartnerId, p.name AS Name, count(*) AS Asked,
               sum(CASE WHEN a.status IN ('accepted', 'done') THEN 1 ELSE 0 END) AS Accepted,
               sum(CASE WHEN a.status = 'declined' THEN 1 ELSE 0 END) AS Declined,
               sum(CASE WHEN a.responded_at IS NULL OR a.status = 'released' THEN 1 ELSE 0 END) AS Unanswered
        FROM case_assignments a JOIN partners p ON p.id = a.partner_id JOIN cases c ON c.id = a.case_id
        WHERE c.created_at >= @From AND c.created_at < @To AND (@Simulated = 1 OR (',' || c.flags || ',') NOT LIKE '%,simulated,%')
        GROUP BY a.partner_id, p.name ORDER BY Asked DESC
        """;

    // A partner's answer is their first TERIMA or TOLAK on the case (later codes move responded_at on).
    private const string SqlAnswerTimes = """
        SELECT PartnerId, Millis FROM (
            SELECT a.partner_id AS PartnerId,
                   (SELECT min(e.created_at) FROM case_events e
                     WHERE e.case_id = a.case_id AND e.actor = a.partner_id AND e.kind IN ('accept', 'decline')) - min(a.notified_at) AS Millis
            FROM case_assignments a JOIN cases c ON c.id = a.case_id
            WHERE c.created_at >= @From AND c.created_at < @To AND (@Simulated = 1 OR (',' || c.flags || ',') NOT LIKE '%,simulated,%')
            GROUP BY a.case_id, a.partner_id) answers
        WHERE Millis IS NOT NULL
        """;

    public async Task<ReportData> BuildAsync(DateOnly from, DateOnly to, bool includeSimulated, CancellationToken ct)
    {
        var (fromMs, toMs) = (Ms(from), Ms(to.AddDays(1)));
        await using var connection = await database.OpenAsync(ct);
        var cases = (await connection.QueryAsync<ReportCase>(SqlCases, new { From = fromMs, To = toMs }))
            .Where(c => includeSimulated || !c.Flags.Split(',').Contains(CaseFlags.Simulated)).ToList();
        var args = new { From = fromMs, To = toMs, Simulated = includeSimulated ? 1 : 0 };
        var partners = (await connection.QueryAsync<PartnerResponse>(SqlPartners, args)).AsList();
        var answers = (await connection.QueryAsync<(string PartnerId, long Millis)>(SqlAnswerTimes, args))
            .GroupBy(a => a.PartnerId).ToDictionary(g => g.Key, g => Median(g.Select(a => a.Millis / 60_000.0)));
        foreach (var p in partners) p.MedianMinutesToAnswer = answers.GetValueOrDefault(p.PartnerId);

        // Every month of the range, the empty ones too: a chart's bars stand where the calendar says.
        var counts = cases.GroupBy(c => office.MonthKey(c.CreatedAt)).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var perMonth = new List<(string, int)>();
        for (var m = new DateOnly(from.Year, from.Month, 1); m <= to; m = m.AddMonths(1))
        {
            var key = m.ToString("yyyy-MM", CultureInfo.InvariantCulture);
            perMonth.Add((key, counts.GetValueOrDefault(key)));
        }
        var byNeed = cases.SelectMany(c => c.Needs.Split(',', StringSplitOptions.RemoveEmptyEntries))
            .GroupBy(n => n).OrderByDescending(g => g.Count()).Select(g => (g.Key, g.Count())).ToList();
        var byDistrict = cases.GroupBy(c => c.District).OrderByDescending(g => g.Count()).Select(g => (g.Key, g.Count())).ToList();

        var s = sla.Value;
        var compliance = new List<SlaCompliance>
        {
            Comply("accept", cases.Select(c => c.MinutesToAccept), s.AcceptWithin),
            // Arrival and resolution are due counted from the acceptance.
            Comply("arrive", cases.Where(c => c.AcceptedAt is not null).Select(c => Between(c.AcceptedAt, c.ArrivedAt)), s.ArriveWithin),
            Comply("resolve", cases.Where(c => c.AcceptedAt is not null).Select(c => Between(c.AcceptedAt, c.ResolvedAt)), s.ResolveWithin),
        };
        var years = cases.GroupBy(c => office.Local(c.CreatedAt).Year).OrderBy(g => g.Key)
            .Select(g => new YearFigures(g.Key, g.Count(), g.Count(c => c.Status == "resolved"),
                g.Where(c => c.Status == "resolved").Select(c => c.NikIndex ?? "case:" + c.Code).Distinct(StringComparer.Ordinal).Count()))
            .ToList();
        return new ReportData(cases, perMonth, byNeed, byDistrict,
            Median(cases.Select(c => c.MinutesToAccept)), Median(cases.Select(c => c.MinutesToArrive)), Median(cases.Select(c => c.MinutesToResolve)),
            compliance, partners, years);
    }

    /// <summary>The cases behind the report, one CSV row each (no names, no NIK), for the office's own spreadsheets.</summary>
    public async Task WriteCsvAsync(TextWriter writer, ReportData report)
    {
        ArgumentNullException.ThrowIfNull(report);
        await using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture, leaveOpen: true);
        foreach (var header in new[] { "code", "reported_at", "status", "needs", "district_code", "district", "minutes_to_accept", "minutes_to_arrive", "minutes_to_resolve" })
            csv.WriteField(header);
        await csv.NextRecordAsync();
        foreach (var c in report.Cases)
        {
            csv.WriteField(c.Code);
            csv.WriteField(office.Local(c.CreatedAt).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
            csv.WriteField(c.Status);
            csv.WriteField(c.Needs.Replace(',', ' '));
            csv.WriteField(c.DistrictCode ?? "");
            csv.WriteField(c.District);
            csv.WriteField(Round(c.MinutesToAccept));
            csv.WriteField(Round(c.MinutesToArrive));
            csv.WriteField(Round(c.MinutesToResolve));
            await csv.NextRecordAsync();
        }
    }

    public static double? Median(IEnumerable<double?> values)
    {
        var sorted = values.OfType<double>().Order().ToList();
        if (sorted.Count == 0) return null;
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static double? Median(IEnumerable<double> values) => Median(values.Select(v => (double?)v));

    private static SlaCompliance Comply(string deadline, IEnumerable<double?> minutes, TimeSpan within)
    {
        var measured = minutes.OfType<double>().ToList();
        return new SlaCompliance(deadline, measured.Count, measured.Count(m => m <= within.TotalMinutes));
    }

    private static double? Between(long? start, long? end) => start is { } s && end is { } e ? (e - s) / 60_000.0 : null;

    private static string Round(double? minutes) => minutes is { } m ? Math.Round(m, 1).ToString(CultureInfo.InvariantCulture) : "";

    private long Ms(DateOnly day) => office.StartOfDay(day);
}
