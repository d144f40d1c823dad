using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace HotlineBot.Bench;

/// <summary>
/// Duty officers watching while the load runs (<c>BENCH_DASHBOARD=N</c>): headless Chromium (Debian's, as the tests
/// use; <c>CHROMIUM_PATH</c> to change) signs in as the first admin and keeps N live dashboard pages open, the case queue
/// and the message queue in turn (<c>--paths</c>), each over its own circuit, until it is stopped (SIGTERM). Every commit tells them
/// something changed, as on a disaster day with the office watching.
/// </summary>
internal static partial class Watch
{
    public static async Task<int> RunAsync(Arguments args)
    {
        var url = args.Get("--url", "http://127.0.0.1:5299").TrimEnd('/');
        var pages = args.Int("--pages", 2);
        var paths = args.Get("--paths", "/,/pesan").Split(',');
        var passwordFile = args.Get("--password-file", "data/first-admin-password.txt");
        if (PasswordLine().Match(await File.ReadAllTextAsync(passwordFile)) is not { Success: true } line)
        {
            Console.Error.WriteLine($"watch: no first admin's password in {passwordFile} (the service writes it on its first start)");
            return 1;
        }
        var password = line.Groups[1].Value;
        using var stop = new CancellationTokenSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            stop.Cancel();
        });

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium",
            Headless = true,
            Args = ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        await using var context = await browser.NewContextAsync();
        var signIn = await context.NewPageAsync();
        await signIn.GotoAsync(url + "/login");
        await signIn.Locator("#username").FillAsync("admin");
        await signIn.Locator("#password").FillAsync(password);
        await signIn.Locator("button[type=submit]").ClickAsync();
        await signIn.WaitForURLAsync(u => !u.Contains("/login", StringComparison.Ordinal));
        await signIn.CloseAsync();
        for (var i = 0; i < pages; i++)
        {
            var page = await context.NewPageAsync();
            var number = i;
            page.Console += (_, message) => { if (message.Type is "error") Console.Error.WriteLine($"page {number}: {message.Text}"); };
            await page.GotoAsync(url + paths[i % paths.Length]);
            // MainLayout marks a page whose circuit is live.
            try
            {
                await page.GetByTestId("interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });
            }
            catch (TimeoutException)
            {
                Console.Error.WriteLine($"page {i} did not go live at {page.Url} (are the dashboard's scripts served? ASPNETCORE_WEBROOT)");
                throw;
            }
        }
        Console.WriteLine($"watching {pages} live pages");
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // SIGTERM: close the pages and the browser
        }
        return 0;
    }

    [GeneratedRegex(@"Password \(shown once; keep it safe\): (\S+)")]
    private static partial Regex PasswordLine();
}
