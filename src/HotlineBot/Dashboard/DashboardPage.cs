using System.Globalization;
using HotlineBot.Core.Cases;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace HotlineBot.Dashboard;

/// <summary>The interface language: Bahasa Indonesia unless the officer chose English (a cookie).</summary>
public static class UiLanguage
{
    public const string Cookie = "hb-lang";
}

/// <summary>
/// What every dashboard page shares: the language and its vocabulary, the signed-in officer, times in the office's zone, and live refresh — the page
/// re-reads when <see cref="LiveUpdates"/> says something changed, and every 30 s of the injected clock (countdowns,
/// changes made by another instance).
/// </summary>
public abstract class DashboardPage : ComponentBase, IDisposable
{
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(30);
    // Under a burst of webhooks a page re-reads at most about twice a second, not once per message. This paces the
    // screen only (no deadline depends on it), so it runs on real time, not the injected clock.
    private static readonly TimeSpan MinGap = TimeSpan.FromMilliseconds(500);
    private ITimer? _timer;
    private LiveRefresh? _live;
    private bool _disposed;

    [CascadingParameter(Name = "Lang")] public string Lang { get; set; } = "id";
    [CascadingParameter] public Task<AuthenticationState>? Auth { get; set; }
    [Inject] protected LiveUpdates Live { get; set; } = default!;
    [Inject] protected TimeProvider Time { get; set; } = default!;
    [Inject] protected OfficeTime Office { get; set; } = default!;
    [Inject] private ILogger<LiveRefresh> RefreshLogger { get; set; } = default!;

    /// <summary>A text in the officer's language: the Indonesian as written, or its English (<see cref="UiText"/>).</summary>
    protected string T(string id) => UiText.Get(id, Lang);

    /// <summary>A text with values in it: <c>T("Kasus {0} tidak ditemukan.", Code)</c>.</summary>
    protected string T(string id, params object?[] args) => UiText.Format(id, Lang, args);

    protected async Task<string> OfficerAsync() => Auth is null ? "unknown" : (await Auth).User.Identity?.Name ?? "unknown";

    protected async Task<bool> IsAdminAsync() => Auth is not null && (await Auth).User.IsInRole(Roles.Admin);

    /// <summary>Re-reads what the page shows. Called on first render, on each change and on the timer.</summary>
    protected virtual Task RefreshAsync() => Task.CompletedTask;

    /// <summary>False for a page too costly to re-read on every message (the reports): it follows the timer only.</summary>
    protected virtual bool RefreshOnChange => true;

    protected override async Task OnInitializedAsync()
    {
        await RefreshAsync();
        // Rendered for the first response only (before the circuit starts), the page is sent once and thrown away:
        // only a live page follows changes. A page closed while its first read was under way never starts to.
        if (!RendererInfo.IsInteractive || _disposed) return;
        _live = new LiveRefresh(() => InvokeAsync(RefreshNowAsync), MinGap, TimeProvider.System, RefreshLogger);
        if (RefreshOnChange) Live.Changed += _live.Signal;
        _timer = Time.CreateTimer(_ => _live.Signal(), null, RefreshEvery, RefreshEvery);
    }

    /// <summary>A refresh <see cref="LiveRefresh"/> asked for: one at a time, never on the thread of the commit that
    /// signalled it; a fault is shown as the page's error.</summary>
    private async Task RefreshNowAsync()
    {
        if (_disposed) return;     // closed after this refresh was handed to the page's dispatcher
        try
        {
            await RefreshAsync();
            StateHasChanged();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await DispatchExceptionAsync(e);
        }
    }

    protected long NowMs => Time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>A time as the office reads it: "6 Des 14:30 WIB" (<see cref="OfficeTime"/>).</summary>
    protected string At(long ms) => Office.Format(ms, Lang);

    protected string At(long? ms) => ms is { } m ? At(m) : "–";

    /// <summary>"12 mnt" / "1 j 5 mnt": a span as the countdowns say it.</summary>
    protected string Span(TimeSpan span)
    {
        span = span.Duration();
        return span.TotalHours >= 1 ? $"{(int)span.TotalHours} {T("j")} {span.Minutes} {T("mnt")}" : $"{Math.Max(1, (int)Math.Ceiling(span.TotalMinutes))} {T("mnt")}";
    }

    /// <summary>"harus diterima dalam 29 mnt" / "harus diterima: terlambat 5 mnt": what is due by a deadline and when.</summary>
    protected string Due(string kind, long at)
    {
        var left = TimeSpan.FromMilliseconds(at - NowMs);
        var due = Word("due", kind);
        return left >= TimeSpan.Zero ? T("{0} dalam {1}", due, Span(left)) : T("{0}: terlambat {1}", due, Span(left));
    }

    /// <summary>Rows per page of the long lists (message queue, audit log).</summary>
    protected const int PageSize = 25;

    /// <summary>A page of a list, or its last page when the list shrank under it (a retried message left the "gagal"
    /// filter, a date filter narrowed it): an officer is never left on an empty page with no pager to go back.</summary>
    protected static async Task<(DashboardQueries.Page<T> Rows, int Page)> PageAsync<T>(Func<int, Task<DashboardQueries.Page<T>>> read, int page)
    {
        ArgumentNullException.ThrowIfNull(read);
        var rows = await read(page);
        var last = (int)Math.Max(1, (rows.Total + PageSize - 1) / PageSize);
        return page > last ? (await read(last), last) : (rows, page);
    }

    /// <summary>A list's date filter ("2026-12-01" to "2026-12-06", each end optional) as instants in the office's zone.</summary>
    protected DashboardQueries.Range RangeOf(string? from, string? to) => new(
        DateOnly.TryParseExact(from, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var f) ? Office.StartOfDay(f) : 0,
        DateOnly.TryParseExact(to, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? Office.StartOfDay(t.AddDays(1)) : long.MaxValue);

    /// <summary>A stored key as the officer reads it (<see cref="Vocabulary"/>).</summary>
    protected string Word(string group, string key) => Vocabulary.Label(group, key, Lang);

    protected string StatusLabel(string status) => Word("status", status);

    protected string DeadlineLabel(string kind) => Word("deadline", kind);

    protected string Needs(string needs) => CaseMessages.Needs(needs.Split(',', StringSplitOptions.RemoveEmptyEntries), Lang);

    protected string NeedLabel(string need) => CaseMessages.Needs([need], Lang);

    /// <summary>An audit action; Hangfire's are named by the path acted on ("tindakan di Hangfire (jobs enqueued delete)").</summary>
    protected string AuditLabel(string action) => action.StartsWith("hangfire_", StringComparison.Ordinal)
        ? $"{Word("audit", "hangfire")} ({action[9..].Replace('_', ' ')})"
        : Word("audit", action);

    /// <summary>The few audit details the code writes in English, as officers read them; a role by its label.</summary>
    protected string AuditDetail(string detail) => detail switch
    {
        "unknown user" => T("pengguna tidak dikenal"),
        "locked out" => T("akun terkunci"),
        _ when detail.StartsWith("attempt ", StringComparison.Ordinal) => T("percobaan ke-") + detail[8..],
        _ => Roles.IsKnown(detail) ? Word("role", detail) : detail,
    };

    /// <summary>Who did it: "sistem", "petugas budi", "pelapor" (a contact address), a partner by name.</summary>
    protected string ActorLabel(string actor, IReadOnlyDictionary<string, string>? partnerNames = null) =>
        actor == "system" ? Word("actor", "system")
        : actor.StartsWith("officer:", StringComparison.Ordinal) ? $"{Word("actor", "officer")} {actor[8..]}"
        : actor.StartsWith("tel:", StringComparison.Ordinal) || actor.StartsWith("whatsapp:", StringComparison.Ordinal) || actor.StartsWith("sim:", StringComparison.Ordinal)
            ? T("pelapor")
        : partnerNames?.GetValueOrDefault(actor) ?? actor;

    /// <summary>A partner's areas by name: "Kec. Kembaran", "Ds. Karangrau"; an unknown code stays as written.</summary>
    protected static string AreaNames(IEnumerable<string> codes) => string.Join(", ", codes.Select(AreaName));

    protected static string AreaName(string code) => HotlineBot.Core.Indonesia.Regions.RegionIndex.Default.Find(code) is { } region
        ? region.Level switch
        {
            HotlineBot.Core.Indonesia.Regions.RegionLevel.District => "Kec. " + region.Name,
            HotlineBot.Core.Indonesia.Regions.RegionLevel.Village => "Ds. " + region.Name,
            _ => region.Name,
        }
        : code;

    public void Dispose()
    {
        _disposed = true;
        if (_live is not null) Live.Changed -= _live.Signal;
        _timer?.Dispose();
        _live?.Stop();
        GC.SuppressFinalize(this);
    }
}

/// <summary>The dashboard's colours (the sign-in page's too): the office's teal, not the component library's purple.</summary>
public static class DashboardTheme
{
    public static readonly MudBlazor.MudTheme Theme = new()
    {
        PaletteLight = new MudBlazor.PaletteLight { Primary = "#00695c", AppbarBackground = "#00695c" },
    };
}
