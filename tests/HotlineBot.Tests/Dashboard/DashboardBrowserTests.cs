using System.Text.RegularExpressions;
using Dapper;
using HotlineBot.Dashboard;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HotlineBot.Tests.Dashboard;

/// <summary>
/// The duty officers' dashboard in headless Chromium against the real service on a loopback port: signed Twilio
/// webhooks in, Twilio's REST API faked on loopback out, the Banyumas demo partners, and our SQLite file to check what
/// the pages did.
/// </summary>
[NonParallelizable]
public sealed class DashboardBrowserTests
{
    private const string Officer = "petugas";
    private const string Password = "rahasia-piket-2026";
    private const string Reporter = "+6281299990001";
    private const string Nik = "3273056010900009";
    private FakeTwilio _twilio = null!;
    private HotlineHost _host = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private string _baseUrl = "";

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        (_twilio, _host) = await HotlineHost.WithFakeTwilioAsync();
        _baseUrl = _host.StartKestrel().TrimEnd('/');
        Assert.That(await _host.Services.GetRequiredService<Officers>().AddAsync(Officer, "Petugas Piket", Roles.Admin, Password, "test", CancellationToken.None));
        (_playwright, _browser) = await Browser.LaunchAsync();
        // A busy CI machine may take seconds to start a circuit; a real failure still fails, only later.
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

    private async Task<IPage> SignedInAsync(string path = "/")
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(_baseUrl + path);
        await Browser.SubmitSignInAsync(page, Officer, Password);
        await page.WaitForURLAsync(new Regex(Regex.Escape(_baseUrl + path) + "$"));
        await Browser.LiveAsync(page);
        return page;
    }


    /// <summary>A full report by signed SMS webhooks; returns the case code from the confirmation.</summary>
    private Task<string> ReportAsync(string reporter, string nik = Nik) => Reported.CaseAsync(_host, reporter, nik);

    private SqliteConnection Db() => new($"Data Source={_host.DatabasePath}");

    [Test, Order(1)]
    public async Task SignedOut_EveryPageAndHangfire_RedirectToSignIn()
    {
        var context = await _browser.NewContextAsync();
        var page = await context.NewPageAsync();
        foreach (var path in new[] { "/", "/pesan", "/mitra", "/laporan", "/simulator", "/kasus/1234", "/hangfire", "/hangfire/jobs/enqueued",
                                     "/audit", "/laporan/kasus.csv?from=2026-01-01&to=2026-12-31", "/mitra/export.yaml" })
        {
            await page.GotoAsync(_baseUrl + path);
            Assert.That(new Uri(page.Url).AbsolutePath, Is.EqualTo("/login"), path);
            Assert.That(Uri.UnescapeDataString(new Uri(page.Url).Query), Does.Contain("ReturnUrl=" + path.Split('?')[0]), path);
        }
        await Expect(page.Locator("#username")).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(page, "01-login");

        await Browser.SubmitSignInAsync(page, Officer, "salah-sandi-sekali");
        await Expect(page.GetByTestId("login-error")).ToContainTextAsync("salah");
        await context.DisposeAsync();
    }

    [Test, Order(2)]
    public async Task Queue_CaseFromSignedWebhook_AppearsWithoutReload_ThenCasePageRevealsNikIntoTheAuditLog()
    {
        var page = await SignedInAsync("/");
        await page.EvaluateAsync("() => window.__sameDocument = true");

        var code = await ReportAsync(Reporter);
        var row = page.GetByTestId("case-link").Filter(new() { HasText = code });
        await Expect(row).ToBeVisibleAsync(new() { Timeout = 10_000 });
        Assert.That(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the case appeared without a reload");
        await Expect(page.GetByTestId("queue")).ToContainTextAsync("Siti Aminah");
        await Expect(page.GetByTestId("queue")).ToContainTextAsync("harus diterima dalam 30 mnt");
        await Browser.ScreenshotAsync(page, "02-queue");
        _host.Clock.Advance(TimeSpan.FromMinutes(31));      // the countdown runs on the service's clock
        await Expect(page.GetByTestId("queue")).ToContainTextAsync("harus diterima: terlambat 1 mnt");
        await _host.RunTimersAsync();                        // the escalation job runs: the queue marks the breach
        await Expect(row.Locator("..").GetByTestId("sla-breached")).ToBeVisibleAsync();

        await row.ClickAsync();
        await page.WaitForURLAsync($"**/kasus/{code}");
        await Browser.LiveAsync(page);
        await Expect(page.GetByTestId("nik")).ToHaveTextAsync("3273********0009");
        Assert.That(await page.ContentAsync(), Does.Not.Contain(Nik), "the full NIK is not on the page before 'show'");
        await page.GetByTestId("reveal-nik").ClickAsync();
        await Expect(page.GetByTestId("nik")).ToHaveTextAsync(Nik);
        await Expect(page.GetByTestId("timeline")).ToContainTextAsync("NIK ditampilkan");
        await Browser.ScreenshotAsync(page, "03-case");

        await page.GotoAsync(_baseUrl + "/audit");
        await Browser.LiveAsync(page);
        var reveal = page.GetByTestId("audit").Locator("tr", new() { HasText = "NIK ditampilkan" });
        await Expect(reveal).ToHaveCountAsync(1);
        await Expect(reveal).ToContainTextAsync(code);
        await Expect(reveal).ToContainTextAsync("petugas " + Officer);
        await Browser.ScreenshotAsync(page, "03b-audit");

        await using var db = Db();
        var audit = await db.QueryAsync<(string Actor, string Subject)>("SELECT actor, subject FROM audit_log WHERE action = 'nik_revealed'");
        Assert.That(audit, Is.EqualTo(new[] { ("officer:" + Officer, code) }));
    }

    [Test, Order(3)]
    public async Task CasePage_AssignPartner_NotificationIsInTheOutbox()
    {
        var code = await ReportAsync("+6281299990002", nik: "3302010101900003");
        var page = await SignedInAsync($"/kasus/{code}");

        await page.GetByTestId("assign-partner").ClickAsync();
        await page.Locator(".mud-popover-open").GetByText("BAZNAS Kabupaten Banyumas", new() { Exact = false }).First.ClickAsync();
        await page.GetByTestId("assign").ClickAsync();
        await Expect(page.GetByTestId("assignments")).ToContainTextAsync("BAZNAS Kabupaten Banyumas");
        await Expect(page.GetByTestId("timeline")).ToContainTextAsync("petugas " + Officer);

        await page.GetByTestId("status-select").ClickAsync();
        await page.Locator(".mud-popover-open").GetByText("diterima", new() { Exact = true }).ClickAsync();
        await page.GetByTestId("status-apply").ClickAsync();
        await Expect(page.GetByTestId("case-status")).ToHaveTextAsync("diterima");

        await page.GotoAsync(_baseUrl + "/");
        await Browser.LiveAsync(page);
        await Expect(page.GetByTestId("case-link")).Not.ToHaveCountAsync(1);
        await page.GetByTestId("filter-status").ClickAsync();
        await page.Locator(".mud-popover-open").GetByText("diterima", new() { Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("case-link")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("case-link")).ToHaveTextAsync(code);

        await page.GotoAsync(_baseUrl + "/pesan");
        await Browser.LiveAsync(page);
        await Expect(page.GetByTestId("outbound")).ToContainTextAsync($"KASUS {code}");
        await Browser.ScreenshotAsync(page, "04-messages");

        await using var db = Db();
        var queued = await db.QueryAsync<string>("""
            SELECT k.address FROM messages m JOIN contacts k ON k.id = m.contact_id
            WHERE m.kind = 'partner_notification' AND m.body LIKE @Like AND k.address = (SELECT contact FROM partners WHERE name = 'BAZNAS Kabupaten Banyumas')
            """, new { Like = $"KASUS {code}%" });
        Assert.That(queued.Count(), Is.EqualTo(1), "one notification to the assigned partner");
    }

    [Test, Order(4)]
    public async Task Messages_FailedMessage_IsRetriedFromThePage()
    {
        var code = await ReportAsync("+6281299990003", nik: "3302010101900011");
        // Twilio refuses the first notification for good (invalid number): it fails, for the officers.
        _twilio.Then(400, """{"code":21211,"message":"The 'To' number is not a valid phone number.","status":400}""");
        await _host.RunTimersAsync();
        await using var db = Db();
        var failed = await db.QuerySingleAsync<long>("SELECT id FROM messages WHERE status = 'failed' ORDER BY id DESC LIMIT 1");

        var page = await SignedInAsync("/pesan");
        await page.GetByTestId("state-failed").ClickAsync();
        await Expect(page.GetByTestId("outbound")).ToContainTextAsync("21211");
        await Expect(page.GetByTestId("outbound")).ToContainTextAsync("nomor tujuan tidak valid");
        await Browser.ScreenshotAsync(page, "05-failed-message");
        await page.GetByTestId("retry").First.ClickAsync();

        await Expect(page.GetByTestId("outbound")).Not.ToContainTextAsync("21211", new() { Timeout = 10_000 });
        Assert.That(await db.QuerySingleAsync<string>("SELECT status FROM messages WHERE id = @Id", new { Id = failed }), Is.EqualTo("queued"));
        Assert.That(await db.QuerySingleAsync<string>("SELECT subject FROM audit_log WHERE action = 'message_retried'"), Is.EqualTo(failed.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await _host.RunTimersAsync();
        Assert.That(await db.QuerySingleAsync<string>("SELECT status FROM messages WHERE id = @Id", new { Id = failed }), Is.EqualTo("sent"));
        Assert.That(code, Is.Not.Empty);
    }

    [Test, Order(5)]
    public async Task Reports_Run_ShowsTheCasesAndExportsCsv()
    {
        var page = await SignedInAsync("/laporan");
        await page.GetByTestId("report-run").ClickAsync();
        await Expect(page.GetByTestId("report-total")).Not.ToHaveTextAsync("0");
        await Expect(page.GetByTestId("report-partners")).ToContainTextAsync("Puskesmas");
        await Expect(page.Locator(".mud-chart").First).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(page, "06-reports");

        var csv = await page.Context.APIRequest.GetAsync(_baseUrl + "/laporan/kasus.csv?from=2026-01-01&to=2026-12-31");
        Assert.That(csv.Status, Is.EqualTo(200));
        var text = await csv.TextAsync();
        Assert.That(text, Does.StartWith("code,reported_at,status,needs"));
        Assert.That(text, Does.Not.Contain("Siti").And.Not.Contain(Nik), "no names or NIK in the export");
    }

    [Test, Order(6)]
    public async Task Simulator_ChatAsACitizen_GoesThroughThePipelineToASimulatedPhone()
    {
        var page = await SignedInAsync("/simulator");
        await Expect(page.GetByTestId("simulator-banner")).ToContainTextAsync("SIMULASI");
        await page.Locator("input[data-testid=simulator-input], [data-testid=simulator-input] input").FillAsync("halo");
        await page.GetByTestId("simulator-send").ClickAsync();
        await Expect(page.GetByTestId("bubble-in").First).ToBeVisibleAsync();
        await page.Locator("input[data-testid=simulator-input], [data-testid=simulator-input] input").FillAsync("Budi Santoso");
        await page.GetByTestId("simulator-send").ClickAsync();
        await Expect(page.GetByTestId("bubble-in")).ToHaveCountAsync(2);
        await Browser.ScreenshotAsync(page, "07-simulator");

        await using var db = Db();
        var stored = await db.QueryAsync<string>("""
            SELECT m.body FROM messages m JOIN contacts k ON k.id = m.contact_id
            WHERE k.address = 'sim:+6281200000001' AND m.direction = 'in' AND m.provider = 'simulator' ORDER BY m.id
            """);
        Assert.That(stored, Is.EqualTo(new[] { "halo", "Budi Santoso" }));
    }

    [Test, Order(7)]
    public async Task PhoneWidth_QueueFitsTheScreen_AndEnglishIsOneTapAway()
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true });
        var page = await context.NewPageAsync();
        await page.GotoAsync(_baseUrl + "/");
        await Browser.SubmitSignInAsync(page, Officer, Password);
        await Browser.LiveAsync(page);
        await Expect(page.GetByTestId("case-link").First).ToBeVisibleAsync();
        Assert.That(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling on a phone");
        await Browser.ScreenshotAsync(page, "08-queue-phone");

        // A parked message with one long unbroken word (what a confused or hostile sender sends) on the message queue.
        await _host.Services.GetRequiredService<HotlineBot.Storage.InboundFailureStore>().RecordAsync("twilio", "SMparkedphone", "tel:+6281299990555",
            new string('x', 200), "SqliteException: poisoned", _host.Clock.GetUtcNow().ToUnixTimeMilliseconds(), parkAfter: 1, CancellationToken.None);
        await page.GotoAsync(_baseUrl + "/pesan");
        await Browser.LiveAsync(page);
        await Expect(page.GetByTestId("parked")).ToBeVisibleAsync();
        Assert.That(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "a parked message fits a phone");
        await Browser.ScreenshotAsync(page, "08b-parked-phone");

        await page.GetByTestId("language").ClickAsync();
        await Browser.LiveAsync(page);
        await Expect(page.Locator("h5", new() { HasText = "Message queue" })).ToBeVisibleAsync();
        await context.DisposeAsync();
    }

    [Test, Order(8)]
    public async Task Partners_AdminAddsOne_TheFileRulesRefuseABadOne_AndHangfireOpens()
    {
        var page = await SignedInAsync("/mitra");
        await page.GetByTestId("partner-new").ClickAsync();
        async Task Fill(string testId, string value) =>
            await page.Locator($"input[data-testid={testId}], [data-testid={testId}] input").FillAsync(value);
        await Fill("partner-id", "relawan-kembaran");
        await Fill("partner-name", "Relawan Kembaran");
        await Fill("partner-contact", "12");
        await Fill("partner-serves", "food");
        await Fill("partner-areas", "33.02.19");
        await page.GetByTestId("partner-save").ClickAsync();
        await Expect(page.GetByTestId("partner-error")).ToContainTextAsync("is not a phone number");

        await Fill("partner-contact", "0812-3456-7890");
        await page.GetByTestId("partner-save").ClickAsync();
        await Expect(page.GetByTestId("partners")).ToContainTextAsync("Relawan Kembaran");
        await Expect(page.GetByTestId("partners")).ToContainTextAsync("+6281234567890 (SMS)");
        await Expect(page.GetByTestId("partners")).ToContainTextAsync("Kec. Sokaraja");
        await Browser.ScreenshotAsync(page, "09-partners");

        await page.Locator("[data-testid=import-file]").SetInputFilesAsync(new FilePayload
        {
            Name = "besar.yaml", MimeType = "application/yaml", Buffer = new byte[1_200_000],
        });
        await Expect(page.GetByTestId("import-error")).ToContainTextAsync("lebih dari 1 MB");

        await page.GotoAsync(_baseUrl + "/hangfire/recurring");
        await Expect(page.Locator("body")).ToContainTextAsync("HotlineBot · Hangfire");
        // Its times in Indonesian, on a 24-hour clock: "dalam 5 menit", "3 menit yang lalu", "Min, 22 Nov 2026 09:00".
        await Expect(page.Locator("[data-moment]").First).ToHaveTextAsync(new Regex(@"^(dalam |beberapa|\d+ \w+ yang lalu|se\w+ yang lalu)"));
        Assert.That(await page.Locator("[data-moment]").First.GetAttributeAsync("data-original-title") ?? await page.Locator("[data-moment]").First.GetAttributeAsync("title"),
            Does.Match(@"^(Min|Sen|Sel|Rab|Kam|Jum|Sab), \d+ (Jan|Feb|Mar|Apr|Mei|Jun|Jul|Agu|Sep|Okt|Nov|Des) \d{4} \d\d:\d\d$"));
        await Browser.ScreenshotAsync(page, "10-hangfire");
    }

    [Test, Order(9)]
    public async Task Users_AdminAddsAnOfficer_WhoSignsInWithThePasswordShownOnce()
    {
        var page = await SignedInAsync("/pengguna");
        await page.Locator("input[data-testid=user-name], [data-testid=user-name] input").FillAsync("budi");
        await page.Locator("input[data-testid=user-display], [data-testid=user-display] input").FillAsync("Budi Santoso");
        await page.GetByTestId("user-add").ClickAsync();
        await Expect(page.GetByTestId("new-password")).ToContainTextAsync("budi");
        var password = await page.GetByTestId("new-password").Locator("b").InnerTextAsync();
        await Expect(page.GetByTestId("users")).ToContainTextAsync("Budi Santoso");
        await Browser.ScreenshotAsync(page, "11-users");

        var context = await _browser.NewContextAsync();
        var officer = await context.NewPageAsync();
        await officer.GotoAsync(_baseUrl + "/pengguna");
        await Browser.SubmitSignInAsync(officer, "budi", password);
        await Browser.LiveAsync(officer);
        await Expect(officer.GetByTestId("forbidden")).ToBeVisibleAsync();
        await context.DisposeAsync();
    }
}
