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
/// What every dashboard page shares: the language, the signed-in officer, times in WIB, and live refresh — the page
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
    private bool _refreshing, _again;

    [CascadingParameter(Name = "Lang")] public string Lang { get; set; } = "id";
    [CascadingParameter] public Task<AuthenticationState>? Auth { get; set; }
    [Inject] protected LiveUpdates Live { get; set; } = default!;
    [Inject] protected TimeProvider Time { get; set; } = default!;

    protected string T(string id, string en) => Lang == "en" ? en : id;

    protected async Task<string> OfficerAsync() => Auth is null ? "unknown" : (await Auth).User.Identity?.Name ?? "unknown";

    protected async Task<bool> IsAdminAsync() => Auth is not null && (await Auth).User.IsInRole(Roles.Admin);

    /// <summary>Re-reads what the page shows. Called on first render, on each change and on the timer.</summary>
    protected virtual Task RefreshAsync() => Task.CompletedTask;

    protected override async Task OnInitializedAsync()
    {
        await RefreshAsync();
        Live.Changed += OnChanged;
        _timer = Time.CreateTimer(_ => OnChanged(), null, RefreshEvery, RefreshEvery);
    }

    private void OnChanged() => _ = InvokeAsync(RefreshNowAsync);

    /// <summary>One refresh at a time; changes during a refresh cause one more, not one each, after <see cref="MinGap"/>.</summary>
    private async Task RefreshNowAsync()
    {
        if (_refreshing) { _again = true; return; }
        _refreshing = true;
        try
        {
            do
            {
                _again = false;
                await RefreshAsync();
                StateHasChanged();
                if (_again) await Task.Delay(MinGap);
            } while (_again);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await DispatchExceptionAsync(e);
        }
        finally
        {
            _refreshing = false;
        }
    }

    protected long NowMs => Time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>A time in WIB, as the office reads it.</summary>
    protected static string Wib(long ms) =>
        DateTimeOffset.FromUnixTimeMilliseconds(ms).ToOffset(Reports.Wib).ToString("dd MMM HH:mm", CultureInfo.InvariantCulture);

    protected static string Wib(long? ms) => ms is { } m ? Wib(m) : "–";

    /// <summary>"12 mnt lagi" / "lewat 1 j 5 mnt": the time left to a deadline.</summary>
    protected string Countdown(long at)
    {
        var left = TimeSpan.FromMilliseconds(at - NowMs);
        var span = left.Duration();
        var text = span.TotalHours >= 1 ? $"{(int)span.TotalHours} {T("j", "h")} {span.Minutes} {T("mnt", "min")}" : $"{Math.Max(1, (int)Math.Ceiling(span.TotalMinutes))} {T("mnt", "min")}";
        return left >= TimeSpan.Zero ? T($"{text} lagi", $"in {text}") : T($"lewat {text}", $"{text} overdue");
    }

    protected string StatusLabel(string status) => status switch
    {
        CaseStatus.Handoff => T("perlu petugas", "needs an officer"),
        CaseStatus.New => T("baru", "new"),
        CaseStatus.Routed => T("menunggu mitra", "waiting for partner"),
        CaseStatus.Accepted => T("diterima", "accepted"),
        CaseStatus.Arrived => T("tiba", "arrived"),
        CaseStatus.Referred => T("dirujuk", "referred"),
        CaseStatus.Resolved => T("selesai", "resolved"),
        CaseStatus.Cancelled => T("batal", "cancelled"),
        _ => status,
    };

    protected string DeadlineLabel(string kind) => kind switch
    {
        "accept" => T("diterima", "accept"),
        "arrive" => T("tiba", "arrive"),
        _ => T("selesai", "resolve"),
    };

    protected string Needs(string needs) => CaseMessages.Needs(needs.Split(',', StringSplitOptions.RemoveEmptyEntries), Lang);

    protected string NeedLabel(string need) => CaseMessages.Needs([need], Lang);

    public void Dispose()
    {
        Live.Changed -= OnChanged;
        _timer?.Dispose();
        GC.SuppressFinalize(this);
    }
}
