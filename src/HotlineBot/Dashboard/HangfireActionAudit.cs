using HotlineBot.Storage;

namespace HotlineBot.Dashboard;

/// <summary>
/// Writes every action taken on Hangfire's dashboard (a POST: delete, trigger, requeue a job) to the audit log, with
/// who, what and which jobs, once Hangfire has accepted it. Hangfire itself refuses such actions to officers (the
/// dashboard is read-only for them); what an admin does there is accounted for like a NIK reveal.
/// </summary>
public sealed class HangfireActionAudit(RequestDelegate next, Database database, AuditLog audit, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        // Hangfire reads the same form later; ASP.NET Core keeps it once read.
        var jobs = http.Request.HasFormContentType
            ? string.Join(',', (await http.Request.ReadFormAsync(http.RequestAborted)).Where(f => f.Key.StartsWith("jobs", StringComparison.Ordinal)).SelectMany(f => f.Value.OfType<string>()))
            : "";
        await next(http);
        // The page itself POSTs /hangfire/stats every few seconds to refresh its counters: a read, not an action.
        if (http.Response.StatusCode is < 200 or >= 300 || http.Request.Path.StartsWithSegments("/hangfire/stats", StringComparison.Ordinal)) return;
        var action = "hangfire" + http.Request.Path.Value![("/hangfire".Length)..].Replace('/', '_');
        var subject = jobs.Length > 0 ? jobs : http.Request.Path.Value!;
        await database.WriteAsync(async tx =>
        {
            await audit.WriteAsync(tx, CaseActions.Actor(http.User.Identity?.Name ?? "?"), action, subject[..Math.Min(subject.Length, 500)], "",
                time.GetUtcNow().ToUnixTimeMilliseconds());
            return true;
        }, CancellationToken.None);
    }
}

/// <summary>Adds <c>HangfireIndonesian.js</c> to Hangfire's dashboard scripts — once per process: the list is Hangfire's
/// global state, and a test process starts many hosts.</summary>
public static class HangfireIndonesian
{
    private static int _added;

    public static void AddOnce()
    {
        if (Interlocked.Exchange(ref _added, 1) == 0)
            Hangfire.Dashboard.DashboardRoutes.AddJavaScript(typeof(HangfireIndonesian).Assembly, "HotlineBot.Dashboard.HangfireIndonesian.js");
    }
}
