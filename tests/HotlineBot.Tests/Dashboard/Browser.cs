using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HotlineBot.Tests.Dashboard;

/// <summary>
/// Debian's Chromium driven by Playwright (no browser download: <c>ExecutablePath</c> is the system Chromium, which
/// <c>./test.sh</c> installs). Screenshots go to <c>artifacts/screenshots/</c> and are attached to the test result.
/// </summary>
internal static class Browser
{
    public static string ChromiumPath => Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(ChromiumPath))
            Assert.Fail($"Chromium not found at {ChromiumPath}: ./test.sh installs Debian's chromium package (or set CHROMIUM_PATH).");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // This machine's network is closed: Chromium's own background connections would only fail.
            Args = ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        return (playwright, browser);
    }

    /// <summary>Fills the sign-in form the page is on and submits it (the browser tests' one way in).</summary>
    public static async Task SubmitSignInAsync(IPage page, string user, string password)
    {
        await page.Locator("#username").FillAsync(user);
        await page.Locator("#password").FillAsync(password);
        await page.Locator("button[type=submit]").ClickAsync();
    }

    /// <summary>Waits until the page is live over its circuit (MainLayout marks it); clicks before that are lost.</summary>
    public static Task LiveAsync(IPage page) => Expect(page.GetByTestId("interactive")).ToBeAttachedAsync(new() { Timeout = 15_000 });

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var directory = RepoFiles.Path("artifacts", "screenshots");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.AddTestAttachment(path, name);
    }
}
