using System.Globalization;
using System.Text.RegularExpressions;
using Dapper;
using HotlineBot.Core.Cases;
using HotlineBot.Dashboard;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HotlineBot.Tests.Dashboard;

/// <summary>
/// A duty officer's shift in headless Chromium, at a 390 px phone and a 1366 px laptop: what citizens really type
/// (80-letter names, 200-character words) on every page, Bahasa Indonesia everywhere, the case actions that protect the
/// officer, lists that page, reports that open filled, the simulator that scrolls, the map with its tile server
/// unreachable, and no page breaking its Content-Security-Policy. An officer's account (not an admin's) unless a page
/// is an admin's. Screenshots of every page at both widths go to <c>artifacts/screenshots/</c>.
/// </summary>
[NonParallelizable]
public sealed partial class DashboardShiftTests
{
    private const string Officer = "piket";
    private const string Admin = "kepala";
    private const string Password = "rahasia-piket-2026";
    private static readonly int[] Widths = [390, 1366];
    /// <summary>200 letters without a space: what a confused or hostile sender types, or a pasted link.</summary>
    private static readonly string Long = string.Concat(Enumerable.Repeat("Karangrauwetan", 15))[..200];
    private FakeTwilio _twilio = null!;
    private HotlineHost _host = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private string _baseUrl = "";
    private string _longCase = "", _plainCase = "", _mappedCase = "";
    private readonly List<string> _policyViolations = [];

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        // The map's tile server cannot be reached (a closed port): the map page must still be useful.
        (_twilio, _host) = await HotlineHost.WithFakeTwilioAsync(new() { [CaseMap.TilesSetting] = "http://127.0.0.1:9/{z}/{x}/{y}.png" });
        _baseUrl = _host.StartKestrel().TrimEnd('/');
        var officers = _host.Services.GetRequiredService<Officers>();
        Assert.That(await officers.AddAsync(Officer, "Petugas Piket", Roles.Officer, Password, "test", CancellationToken.None));
        Assert.That(await officers.AddAsync(Admin, "Kepala Seksi", Roles.Admin, Password, "test", CancellationToken.None));

        // A citizen who types long: an 80-letter name (the flow's longest), a 200-letter word in the address and one
        // sent at the wrong step (re-asked, so it stays in the transcript).
        var reporter = "+6281299991001";
        foreach (var text in new[] { "halo", "Siti" + new string('a', 76), "3302010101900003", "ds karangrau rt2/3 kec sokaraja " + Long, Long, "1", "tidak", "ya" })
            _longCase = await _host.SmsAsync(reporter, text);
        _longCase = CaseCode().Match(_longCase).Value;
        Assert.That(_longCase, Is.Not.Empty);
        // Another flow (or an older version) may keep a longer name: the queue must hold 200 letters too.
        await using (var db = Db())
            await db.ExecuteAsync("UPDATE cases SET patient_name = @Name WHERE code = @Code", new { Name = Long, Code = _longCase });

        _plainCase = await Reported.CaseAsync(_host, "+6281299991002", nik: "3302010101900011");
        _mappedCase = await Reported.CaseAsync(_host, "+6281299991003", nik: "3302010101900029");
        // A reporter who shared a WhatsApp location: near Puskesmas Sokaraja.
        await using (var db = Db())
            await db.ExecuteAsync("UPDATE cases SET latitude = -7.4601, longitude = 109.2851 WHERE code = @Code", new { Code = _mappedCase });
        for (var i = 0; i < 3; i++) await Reported.CaseAsync(_host, $"+62812999920{i:00}", nik: $"33020101019000{37 + 8 * i}");

        // Thirty failed sign-ins: an audit log longer than a page.
        for (var i = 0; i < 30; i++) await officers.SignInAsync("tamu" + i, "salah", CancellationToken.None);

        (_playwright, _browser) = await Browser.LaunchAsync();
        SetDefaultExpectTimeout(15_000);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        _host.Dispose();
        await _twilio.DisposeAsync();
    }

    private SqliteConnection Db() => new($"Data Source={_host.DatabasePath}");

    private async Task<IPage> SignedInAsync(int width, string user = Officer, string path = "/")
    {
        var context = await _browser.NewContextAsync(width < 600
            ? new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = 844 }, IsMobile = true, HasTouch = true }
            : new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = 768 } });
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) lock (_policyViolations) _policyViolations.Add($"{page.Url}: {message.Text}");
        };
        await page.GotoAsync(_baseUrl + path);
        await Browser.SubmitSignInAsync(page, user, Password);
        await page.WaitForURLAsync(new Regex(Regex.Escape(_baseUrl + path) + "$"));
        await Browser.LiveAsync(page);
        return page;
    }


    private async Task OpenAsync(IPage page, string path)
    {
        await page.GotoAsync(_baseUrl + path);
        await Browser.LiveAsync(page);
        // Every panel of the case page open: the transcript and the audit log are the long ones.
        var closed = page.Locator(".mud-expand-panel:not(.mud-panel-expanded) .mud-expand-panel-header");
        for (var left = await closed.CountAsync(); left > 0; left--)
        {
            await closed.First.ClickAsync();
            await Expect(closed).ToHaveCountAsync(left - 1);
        }
        await page.WaitForTimeoutAsync(300);
    }

    /// <summary>Nothing wider than its box: not the page, not a table, a card, a panel or the transcript; every panel
    /// header inside the screen (so it can be tapped).</summary>
    private static async Task AssertFitsAsync(IPage page, string what)
    {
        var problems = await page.EvaluateAsync<string[]>("""
            () => {
              const width = document.documentElement.clientWidth, found = [];
              if (document.documentElement.scrollWidth > width + 1) found.push(`the page is ${document.documentElement.scrollWidth} px wide`);
              for (const el of document.querySelectorAll('.mud-table-container, .mud-paper, .mud-expand-panel, .transcript, .mud-timeline, .bars'))
                if (el.scrollWidth > el.clientWidth + 1) found.push(`${el.className.split(' ')[0]}: ${el.scrollWidth} > ${el.clientWidth}`);
              for (const el of document.querySelectorAll('.mud-expand-panel-header, .mud-button-root'))
                if (el.getBoundingClientRect().right > width + 1) found.push(`${(el.innerText || '').trim()} ends at ${el.getBoundingClientRect().right}`);
              return found;
            }
            """);
        Assert.That(problems, Is.Empty, what);
    }

    private static string Slug(string path) => path == "/" ? "queue" : path.StartsWith("/kasus/", StringComparison.Ordinal) ? "case" : NonWord().Replace(path.Trim('/'), "-");

    private string[] OfficerPages => ["/", $"/kasus/{_longCase}", "/pesan", "/mitra", "/laporan", "/simulator", "/peta", "/akun"];

    private static readonly string[] AdminPages = ["/audit", "/pengguna"];

    [Test, Order(1)]
    public async Task LongWords_NoPageOverflows_AtAPhoneAndALaptop()
    {
        foreach (var width in Widths)
        {
            var signIn = await (await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = 844 } })).NewPageAsync();
            await signIn.GotoAsync(_baseUrl + "/login");
            await AssertFitsAsync(signIn, $"/login at {width} px");
            await Browser.ScreenshotAsync(signIn, $"login-{width}");
            await signIn.Context.DisposeAsync();
            foreach (var (user, pages) in new[] { (Officer, OfficerPages), (Admin, AdminPages) })
            {
                var page = await SignedInAsync(width, user);
                foreach (var path in pages)
                {
                    await OpenAsync(page, path);
                    await AssertFitsAsync(page, $"{path} at {width} px");
                    await Browser.ScreenshotAsync(page, $"{Slug(path)}-{width}");
                }
                if (user == Admin)
                {
                    // Hangfire's own pages (a third party's; looked at, not held to our layout).
                    await page.GotoAsync(_baseUrl + "/hangfire");
                    await Browser.ScreenshotAsync(page, $"hangfire-{width}");
                }
                if (user == Officer)
                {
                    // The long words are really there: the test would pass on an empty page otherwise.
                    await OpenAsync(page, "/");
                    Assert.That(await page.GetByTestId("queue").InnerTextAsync(), Does.Contain(Long[..40]), "the queue holds the 200-letter name");
                    await OpenAsync(page, $"/kasus/{_longCase}");
                    Assert.That(await page.GetByTestId("transcript").InnerTextAsync(), Does.Contain(Long), "the transcript holds the 200-letter message");
                    Assert.That(await page.Locator("body").InnerTextAsync(), Does.Contain("Siti" + new string('a', 76)));
                }
                await page.Context.DisposeAsync();
            }
        }
    }

    /// <summary>Every key the dashboard stores, unless its Indonesian label says the same word ("lembaga zakat"); the need keys too.</summary>
    private static HashSet<string> RawKeys() =>
        Vocabulary.All("id").Where(e => e.Key.Split('.')[1] is { Length: > 2 } key
                && !Words().Matches(e.Value).Any(w => string.Equals(w.Value, key, StringComparison.OrdinalIgnoreCase)))
            .Select(e => e.Key.Split('.')[1])
            .Where(key => key is not ("status" or "info"))     // Indonesian words too ("Ubah status")
            .Concat(NeedKeys.All)
            .Concat(["system", "officer", "tel", "partner_notification"])
            .ToHashSet(StringComparer.Ordinal);

    [Test, Order(2)]
    public async Task BahasaIndonesia_NoRawKeyNoEnglishMonthNoIsoMonth_OnAnyPage()
    {
        var raw = RawKeys();
        Assert.That(raw, Does.Contain("hospital_costs").And.Contain("nik_revealed").And.Contain("volunteer").And.Contain("queued"));
        foreach (var (user, pages) in new[] { (Officer, OfficerPages.Append($"/kasus/{_plainCase}").Append("/pesan?tab=in")), (Admin, AdminPages) })
        {
            var page = await SignedInAsync(1366, user);
            foreach (var path in pages)
            {
                await OpenAsync(page, path.Split('?')[0]);
                if (path.EndsWith("?tab=in", StringComparison.Ordinal)) await page.GetByRole(AriaRole.Tab, new() { Name = "Pesan masuk" }).ClickAsync();
                var text = await page.Locator("body").InnerTextAsync();
                var words = Words().Matches(text).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
                Assert.That(words.Where(raw.Contains), Is.Empty, $"raw keys on {path}");
                Assert.That(EnglishMonth().Matches(text).Select(m => m.Value), Is.Empty, $"English months on {path}");
                Assert.That(IsoMonth().Matches(text).Select(m => m.Value), Is.Empty, $"months as 2026-11 on {path}");
                Assert.That(Clock12().Matches(text).Select(m => m.Value), Is.Empty, $"a 12-hour clock on {path}");
            }
            await page.Context.DisposeAsync();
        }
        // English one tap away: the pages' own words all change (what citizens and partners wrote stays as written).
        var english = await SignedInAsync(1366, Officer);
        await english.GetByTestId("language").ClickAsync();
        // The link goes through /lang/en and back: wait for the page it brings back (English), or the next navigation
        // would race this one and be aborted.
        await Expect(english.GetByTestId("language")).ToHaveTextAsync("Bahasa Indonesia");
        await Browser.LiveAsync(english);
        foreach (var path in new[] { "/", "/mitra", "/laporan", "/peta", "/akun", $"/kasus/{_plainCase}" })
        {
            await OpenAsync(english, path);
            var text = path.StartsWith("/kasus/", StringComparison.Ordinal)
                ? await english.Locator(".mud-main-content .mud-paper").First.InnerTextAsync()    // the patient's card, not the transcript
                : await english.Locator("body").InnerTextAsync();
            Assert.That(IndonesianWord().Matches(text).Select(m => m.Value), Is.Empty, $"Indonesian left on {path} in English");
        }
        await english.Context.DisposeAsync();

        // And the office's zone is named with every time.
        var queue = await SignedInAsync(1366, Officer, $"/kasus/{_plainCase}");
        await Expect(queue.Locator("body")).ToContainTextAsync("23 Nov 09:00 WIB");
        await queue.Context.DisposeAsync();
    }

    [Test, Order(3)]
    public async Task CaseActions_ProtectTheOfficer()
    {
        var page = await SignedInAsync(1366, Officer, $"/kasus/{_plainCase}");
        // SLA wording that cannot be misread, and the reporter one tap away.
        await Expect(page.GetByTestId("deadline").First).ToContainTextAsync("harus diterima dalam 30 mnt");
        await Expect(page.GetByTestId("call-reporter")).ToHaveAttributeAsync("href", "tel:+6281299991002");
        await Expect(page.GetByTestId("whatsapp-reporter")).ToHaveAttributeAsync("href", "https://wa.me/6281299991002");
        await Expect(page.GetByTestId("assignments").Locator("th").First).ToHaveTextAsync("Mitra");

        // Send is enabled while typing, before the field loses focus; the counter counts SMS, not characters.
        var text = page.Locator("[data-testid=message-text] textarea, textarea[data-testid=message-text]").First;
        await text.ClickAsync();
        await text.PressSequentiallyAsync("Halo");
        await Expect(page.GetByTestId("message-send")).ToBeEnabledAsync();
        await Expect(page.GetByTestId("message-segments")).ToHaveTextAsync("4 karakter · 1 SMS");
        await text.FillAsync(new string('a', 160));
        await Expect(page.GetByTestId("message-segments")).ToHaveTextAsync("160 karakter · 1 SMS");
        await text.PressSequentiallyAsync("b");
        await Expect(page.GetByTestId("message-segments")).ToHaveTextAsync("161 karakter · 2 SMS");
        await text.FillAsync("Mohon ditunggu 🙏 " + new string('a', 60));
        await Expect(page.GetByTestId("message-segments")).ToContainTextAsync("· 2 SMS (UCS-2");

        // A revealed NIK can be hidden again.
        await page.GetByTestId("reveal-nik").ClickAsync();
        await Expect(page.GetByTestId("nik")).ToHaveTextAsync("3302010101900011");
        await page.GetByTestId("hide-nik").ClickAsync();
        await Expect(page.GetByTestId("nik")).ToHaveTextAsync("3302********0011");

        // Closing is never one stray tap: the status list does not offer it, marking a duplicate asks, and so does cancelling.
        await page.GetByTestId("status-select").ClickAsync();
        var offered = await page.Locator(".mud-popover-open .mud-list-item").AllInnerTextsAsync();
        Assert.That(offered, Does.Contain("diterima").And.Not.Contain("selesai").And.Not.Contain("batal"));
        await page.Keyboard.PressAsync("Escape");
        await page.Locator("input[data-testid=duplicate-of], [data-testid=duplicate-of] input").FillAsync(_longCase);
        await page.GetByTestId("duplicate").ClickAsync();
        await Expect(page.Locator(".mud-dialog")).ToContainTextAsync($"ganda dari {_longCase}");
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Kembali" }).ClickAsync();
        await Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);

        // Cancelling a case asks first: "Kembali" leaves it open, "Ya, batalkan" cancels it.
        await page.GetByTestId("close-cancelled").ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        await Expect(dialog).ToContainTextAsync($"BATALKAN kasus {_plainCase}?");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Kembali" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        await using var db = Db();
        Assert.That(await db.QuerySingleAsync<string>("SELECT status FROM cases WHERE code = @Code", new { Code = _plainCase }), Is.EqualTo(CaseStatus.Routed));
        await page.GetByTestId("close-cancelled").ClickAsync();
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Ya, batalkan" }).ClickAsync();
        await Expect(page.GetByTestId("case-status")).ToHaveTextAsync("batal");
        Assert.That(await db.QuerySingleAsync<string>("SELECT status FROM cases WHERE code = @Code", new { Code = _plainCase }), Is.EqualTo(CaseStatus.Cancelled));
        await page.Context.DisposeAsync();
    }

    [Test, Order(4)]
    public async Task MessageQueueAndAuditLog_PageAndFilterByDate()
    {
        await using var db = Db();
        var outbound = await db.QuerySingleAsync<long>("SELECT count(*) FROM messages WHERE direction = 'out'");
        Assert.That(outbound, Is.GreaterThan(50), "enough messages for three pages");
        var page = await SignedInAsync(1366, Officer, "/pesan");
        await Expect(page.GetByTestId("outbound-pager-info")).ToHaveTextAsync($"1–25 dari {outbound}");
        await Expect(page.GetByTestId("outbound").Locator("tbody tr")).ToHaveCountAsync(25);
        var firstOnPageOne = await page.GetByTestId("outbound").Locator("tbody tr").First.InnerTextAsync();
        await page.GetByTestId("outbound-pager").Locator("button", new() { HasTextRegex = new Regex("^2$") }).ClickAsync();
        await Expect(page.GetByTestId("outbound-pager-info")).ToHaveTextAsync($"26–50 dari {outbound}");
        Assert.That(await page.GetByTestId("outbound").Locator("tbody tr").First.InnerTextAsync(), Is.Not.EqualTo(firstOnPageOne));

        // A date filter: every message was sent on 23 Nov (WIB); from 24 Nov on there is none.
        await page.Locator("input[data-testid=messages-from], [data-testid=messages-from] input").FillAsync("2026-11-24");
        await page.Locator("input[data-testid=messages-from], [data-testid=messages-from] input").BlurAsync();
        await Expect(page.GetByTestId("outbound")).ToContainTextAsync("Tidak ada pesan.");
        await Expect(page.GetByTestId("outbound-pager")).ToHaveCountAsync(0);
        await page.Locator("input[data-testid=messages-from], [data-testid=messages-from] input").FillAsync("2026-11-23");
        await page.Locator("input[data-testid=messages-from], [data-testid=messages-from] input").BlurAsync();
        await Expect(page.GetByTestId("outbound-pager-info")).ToHaveTextAsync($"1–25 dari {outbound}");
        await page.Context.DisposeAsync();

        var audit = await SignedInAsync(1366, Admin, "/audit");
        var audited = await db.QuerySingleAsync<long>("SELECT count(*) FROM audit_log");
        Assert.That(audited, Is.GreaterThan(30));
        await Expect(audit.GetByTestId("audit-pager-info")).ToHaveTextAsync($"1–25 dari {audited}");
        await audit.GetByTestId("audit-pager").Locator("button", new() { HasTextRegex = new Regex("^2$") }).ClickAsync();
        await Expect(audit.GetByTestId("audit-pager-info")).ToContainTextAsync("26–");
        // Everything happened on 23 Nov (WIB): "to 23 Nov" takes the whole day in, "to 22 Nov" leaves it all out.
        await audit.Locator("input[data-testid=audit-to], [data-testid=audit-to] input").FillAsync("2026-11-23");
        await audit.GetByTestId("audit-search").ClickAsync();
        await Expect(audit.GetByTestId("audit-pager-info")).ToHaveTextAsync(new Regex("^1–25 dari [0-9]+$"));
        await audit.Locator("input[data-testid=audit-to], [data-testid=audit-to] input").FillAsync("2026-11-22");
        await audit.GetByTestId("audit-search").ClickAsync();
        await Expect(audit.GetByTestId("audit")).ToContainTextAsync("Tidak ada catatan.");
        await audit.Context.DisposeAsync();
    }

    [Test, Order(5)]
    public async Task Reports_OpenFilled_WithIndonesianMonthsAndAWholeNumberAxis()
    {
        var page = await SignedInAsync(390, Officer, "/laporan");
        // No button to press: the last twelve months are there. On a phone, a bar per month, named in full.
        await Expect(page.GetByTestId("report-total")).ToHaveTextAsync(new Regex("^[1-9][0-9]*$"));
        await Expect(page.GetByTestId("report-months")).ToContainTextAsync("Des 2025");
        await Expect(page.GetByTestId("report-months")).ToContainTextAsync("Nov 2026");
        await Expect(page.GetByTestId("report-months").Locator(".bar-row")).ToHaveCountAsync(12);
        var laptop = await SignedInAsync(1366, Officer, "/laporan");
        var chart = laptop.GetByTestId("chart-months");
        await Expect(laptop.GetByTestId("months-title")).ToContainTextAsync("(Des 2025 – Nov 2026)");
        Assert.That(await chart.Locator("text").EvaluateAllAsync<string[]>("all => all.map(t => t.textContent.trim())"),
            Does.Contain("Des").And.Contain("Agu").And.Contain("Nov").And.Not.Contain("Dec"));
        var ticks = (await chart.Locator("text").EvaluateAllAsync<string[]>("all => all.map(t => t.textContent || '')")).Where(t => Regex.IsMatch(t.Trim(), @"^-?[0-9.,]+$")).Select(t => t.Trim()).ToList();
        Assert.That(ticks, Is.Not.Empty);
        Assert.That(ticks, Has.All.Match("^[0-9]+$"), "whole numbers of cases");
        Assert.That(ticks.Max(t => int.Parse(t, CultureInfo.InvariantCulture)), Is.LessThanOrEqualTo(10), "the axis ends near the most cases in a month, not at 20");
        var tickHeight = await chart.Locator("text").First.EvaluateAsync<double>("e => e.getBoundingClientRect().height");
        Assert.That(tickHeight, Is.GreaterThanOrEqualTo(11), "axis labels readable, not 6 px");
        await laptop.Context.DisposeAsync();
        await Expect(page.GetByTestId("report-needs")).ToContainTextAsync(new Regex("ambulans", RegexOptions.IgnoreCase));
        var height = await page.GetByTestId("report-needs").Locator(".bar-label").First.EvaluateAsync<double>("e => e.getBoundingClientRect().height");
        Assert.That(height, Is.GreaterThanOrEqualTo(12), "labels readable on a phone");
        await page.Context.DisposeAsync();
    }

    [Test, Order(6)]
    public async Task Simulator_OnAPhone_InputInView_AndTheNewestReplyShown()
    {
        var page = await SignedInAsync(390, Officer, "/simulator");
        var input = page.Locator("input[data-testid=simulator-input], [data-testid=simulator-input] input");
        var box = await input.BoundingBoxAsync();
        Assert.That(box!.Y + box.Height, Is.LessThanOrEqualTo(844), "the input is on the first screen");
        foreach (var text in new[] { "halo", "Budi Santoso", "tidak tahu", "ds karangrau kec sokaraja", "1", "tidak" })
        {
            var before = await page.GetByTestId("bubble-in").CountAsync();
            await input.FillAsync(text);
            await page.GetByTestId("simulator-send").ClickAsync();
            await Expect(page.GetByTestId("bubble-in")).Not.ToHaveCountAsync(before);
        }
        await Expect(page.GetByTestId("bubble-in").Last).ToBeInViewportAsync();
        // Scrolled to the newest message (the scroll follows the render, so wait for it rather than read once).
        await page.WaitForFunctionAsync("() => { const e = document.querySelector('[data-testid=simulator-screen]'); return e.scrollHeight - e.clientHeight - e.scrollTop <= 2; }",
            null, new() { Timeout = 10_000 });
        await page.Context.DisposeAsync();
    }

    [Test, Order(7)]
    public async Task Map_TilesUnreachable_StillShowsThePinsAndTheNearestPartners()
    {
        var page = await SignedInAsync(390, Officer, "/peta");
        await Expect(page.GetByTestId("map-pin")).ToHaveTextAsync(_mappedCase);
        var nearest = page.GetByTestId("map-list").Locator("tr", new() { HasText = _mappedCase }).GetByTestId("nearest");
        await Expect(nearest).ToContainTextAsync(new Regex(@"Puskesmas Sokaraja · [0-9]+,[0-9] km"));
        var tiles = page.Locator(".map .tiles img");
        Assert.That(await tiles.CountAsync(), Is.GreaterThan(0));
        Assert.That(await tiles.First.GetAttributeAsync("src"), Does.StartWith("http://127.0.0.1:9/"));
        await Expect(page.GetByTestId("map-offline")).ToBeVisibleAsync();
        await page.Context.DisposeAsync();
    }

    [Test, Order(8)]
    public async Task SignIn_InTheOfficesColours_WithAFavicon_AndNoPageBrokeTheContentPolicy()
    {
        var context = await _browser.NewContextAsync();
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) lock (_policyViolations) _policyViolations.Add($"/login: {message.Text}");
        };
        await page.GotoAsync(_baseUrl + "/login");
        var colour = await page.Locator("button[type=submit]").EvaluateAsync<string>("b => getComputedStyle(b).backgroundColor");
        Assert.That(colour, Is.EqualTo("rgb(0, 105, 92)"));
        Assert.That(await page.Locator("link[rel=icon]").GetAttributeAsync("href"), Does.Contain("favicon"));
        await context.DisposeAsync();

        // Every page once more, live, with a case acted on (dialogs, selects, the simulator): the policy lets it all run.
        foreach (var (user, pages) in new[] { (Officer, OfficerPages), (Admin, AdminPages.Append("/hangfire").ToArray()) })
        {
            var officer = await SignedInAsync(1366, user);
            foreach (var path in pages)
            {
                await officer.GotoAsync(_baseUrl + path);
                if (!path.StartsWith("/hangfire", StringComparison.Ordinal)) await Browser.LiveAsync(officer);
            }
            await officer.Context.DisposeAsync();
        }
        lock (_policyViolations) Assert.That(_policyViolations, Is.Empty);
        Assert.That(await CountingViolationsWorksAsync(), "a script the policy forbids is reported, so an empty list means something");
    }

    /// <summary>An inline script on a dashboard page is refused, and the refusal reaches the listener.</summary>
    private async Task<bool> CountingViolationsWorksAsync()
    {
        var page = await SignedInAsync(1366, Officer, "/akun");
        await page.EvaluateAsync("() => { const s = document.createElement('script'); s.textContent = 'window.forbiddenByTest = 1'; document.body.appendChild(s); }");
        var ran = await page.EvaluateAsync<bool>("() => window.forbiddenByTest === 1");
        await page.WaitForTimeoutAsync(300);
        await page.Context.DisposeAsync();
        lock (_policyViolations) return !ran && _policyViolations.Count > 0;
    }

    [GeneratedRegex(@"\b\d{4}\b")]
    private static partial Regex CaseCode();

    [GeneratedRegex(@"[^a-z0-9]+")]
    private static partial Regex NonWord();

    // A word, with its underscores (hospital_costs) and hyphens (a partner's id, ambulans-dinsos, is one word).
    [GeneratedRegex(@"[\p{L}\p{N}_-]+")]
    private static partial Regex Words();

    [GeneratedRegex(@"\b(May|Aug|Oct|Dec|January|February|March|April|June|July|August|September|October|November|December)\b")]
    private static partial Regex EnglishMonth();

    [GeneratedRegex(@"\b(Antrian|Kebutuhan|Laporan|Tindakan|Pelapor|Pasien|Alamat|harus diterima|menunggu mitra|Kasus per bulan|Ganti kata sandi|Mitra terdekat|Tampilkan|Keluar)\b")]
    private static partial Regex IndonesianWord();

    [GeneratedRegex(@"\b20\d\d-(0[1-9]|1[0-2])\b")]
    private static partial Regex IsoMonth();

    [GeneratedRegex(@"\b\d{1,2}:\d\d ?(AM|PM)\b")]
    private static partial Regex Clock12();
}
