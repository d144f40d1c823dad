using Dapper;
using Microsoft.Data.Sqlite;

namespace HotlineBot.Tests.Configuration;

/// <summary>
/// Starting the real executable as an office would: a missing or invalid setting, a broken flow or a port in use ends
/// the start with a line that names it (and how to change it) and a non-zero exit — never a stack trace — and leaves
/// no dashboard user behind; `--help` prints the commands; an unknown command exits 2.
/// </summary>
public sealed class RequiredSettingsTests
{
    private string _dir = null!;
    private int _port;

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("hotline-start-").FullName;
        _port = HotlineProcess.FreePort();
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private Dictionary<string, string?> Settings(Dictionary<string, string?>? changes = null)
    {
        var settings = HotlineProcess.ProductionSettings(_dir, _port);
        foreach (var (key, value) in changes ?? []) settings[key] = value;
        return settings;
    }

    private static void AssertOneCleanLine(string errors, int lines = 1)
    {
        Assert.That(errors.TrimEnd().Split('\n'), Has.Length.EqualTo(lines), errors);
        Assert.That(errors, Does.StartWith("hotlinebot: ").And.Not.Contain("   at ").And.Not.Contain("Unhandled exception"));
    }

    [Test]
    public async Task Start_InProductionWithoutSecrets_StopsNamingEachMissingSetting()
    {
        var (code, _, errors) = await HotlineProcess.RunAsync(_dir, Settings(new() { ["Privacy__NikKey"] = null, ["Twilio__AuthToken"] = null, ["Twilio__AccountSid"] = null }));

        Assert.That(code, Is.EqualTo(1));
        AssertOneCleanLine(errors);
        Assert.That(errors, Does.Contain("Privacy:NikKey").And.Contain("Twilio:AuthToken").And.Contain("Twilio:AccountSid").And.Contain("Twilio__AuthToken"));
    }

    [Test]
    public async Task Start_WithAFallbackToAnUnknownProvider_StopsNamingTheSetting()
    {
        var (code, _, errors) = await HotlineProcess.RunAsync(_dir, Settings(new() { ["Channels__Fallback__android-sms"] = "twillio, sms" }));

        Assert.That(code, Is.EqualTo(1));
        AssertOneCleanLine(errors);
        Assert.That(errors, Does.Contain("Channels:Fallback:android-sms names 'twillio'"));
    }

    [Test]
    public async Task Start_WithAShortNikKey_StopsNamingIt()
    {
        var (code, _, errors) = await HotlineProcess.RunAsync(_dir, Settings(new() { ["Privacy__NikKey"] = Convert.ToBase64String(new byte[16]) }));

        Assert.That(code, Is.EqualTo(1));
        AssertOneCleanLine(errors);
        Assert.That(errors, Does.Contain("Privacy:NikKey").And.Contain("32 bytes"));
    }

    [Test]
    public async Task Start_WithABrokenFlow_StopsNamingFileLineAndStep()
    {
        var flows = Directory.CreateDirectory(Path.Combine(_dir, "flows")).FullName;
        File.Copy(RepoFiles.Path("conversation-flows", "lapor-sakit.yaml"), Path.Combine(flows, "lapor-sakit.yaml"));
        File.WriteAllText(Path.Combine(flows, "rusak.yaml"), "version: 1\nid: rusak\nsteps:\n  - id: a\n    input: umur\n");

        var (code, _, errors) = await HotlineProcess.RunAsync(_dir, Settings(new() { ["Hotline__FlowsPath"] = flows }));

        Assert.That(code, Is.EqualTo(1));
        Assert.That(errors, Does.Contain("rusak.yaml:4: step 'a': unknown input type 'umur'").And.Not.Contain("   at "));
    }

    [Test]
    public async Task Start_OnAPortInUse_SaysSo_AndCreatesNoAdmin()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, _port);
        taken.Start();

        var (code, output, errors) = await HotlineProcess.RunAsync(_dir, Settings());

        Assert.That(code, Is.EqualTo(1));
        AssertOneCleanLine(errors);
        Assert.That(errors, Does.Contain($"127.0.0.1:{_port}").And.Contain("--urls"));
        Assert.That(output, Does.Not.Contain("Password").And.Not.Contain("   at "), "no stack trace in the journal either");
        Assert.That(File.Exists(Path.Combine(_dir, "data", "first-admin-password.txt")), Is.False);
        await using var db = new SqliteConnection($"Data Source={Path.Combine(_dir, "hotline.db")}");
        Assert.That(await db.ExecuteScalarAsync<long>("SELECT count(*) FROM users"), Is.Zero, "no admin whose password nobody saw");
    }

    [Test]
    public async Task Start_NotOnATerminal_WritesTheFirstPasswordToAFileOnlyTheServiceUserReads_NeverToTheLog()
    {
        using var hotline = HotlineProcess.Start(_dir, Settings());
        await hotline.WaitReadyAsync();
        var file = Path.Combine(_dir, "data", "first-admin-password.txt");
        for (var i = 0; i < 50 && !File.Exists(file); i++) await Task.Delay(100);

        Assert.That(File.Exists(file), Is.True);
        if (!OperatingSystem.IsWindows()) Assert.That(File.GetUnixFileMode(file), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        var password = System.Text.RegularExpressions.Regex.Match(await File.ReadAllTextAsync(file), @"Password \(shown once; keep it safe\): (\S+)").Groups[1].Value;
        Assert.That(password, Has.Length.GreaterThanOrEqualTo(12));
        for (var i = 0; i < 50 && !(hotline.Output + hotline.Errors).Contains(file, StringComparison.Ordinal); i++) await Task.Delay(100);
        Assert.That(hotline.Output + hotline.Errors, Does.Not.Contain(password), "the journal never sees it");
        Assert.That(hotline.Output + hotline.Errors, Does.Contain(file), "where it is, is said");
    }

    [TestCase("--help")]
    [TestCase("help")]
    [TestCase("-h")]
    public async Task Help_PrintsTheCommands(string arg)
    {
        var (code, output, _) = await HotlineProcess.RunAsync(_dir, Settings(), arg);

        Assert.That(code, Is.Zero);
        Assert.That(output, Does.Contain("usage:").And.Contain("migrate").And.Contain("users add").And.Contain("flows check"));
    }

    [Test]
    public async Task AnUnknownCommand_SaysSo_AndExits2()
    {
        var (code, _, errors) = await HotlineProcess.RunAsync(_dir, Settings(), "serv");

        Assert.That(code, Is.EqualTo(2));
        Assert.That(errors, Does.Contain("unknown command 'serv'"));
    }

    [Test]
    public void Start_InProductionWithSecrets_Serves()
    {
        using var host = new HotlineHost(environment: "Production");

        Assert.That(() => host.CreateClient(), Throws.Nothing);
    }

    /// <summary>Started away from its published folder, the service answered every dashboard script with an empty 200
    /// and said nothing: the officers' pages showed but never went live.</summary>
    [Test]
    public void Start_InProductionWithoutTheDashboardFiles_SaysSoAndHow()
    {
        using var host = new HotlineHost(environment: "Production");
        host.CreateClient().Dispose();

        Assert.That(host.Logs.GetSnapshot().Where(r => r.Level == Microsoft.Extensions.Logging.LogLevel.Warning).Select(r => r.Message),
            Has.Some.StartsWith("The dashboard's files are not in " + Path.Combine(host.Directory, "wwwroot")).And.Some.Contains("ASPNETCORE_WEBROOT"));
    }

    [Test]
    public void Start_InProductionWithTheDashboardFiles_SaysNothing()
    {
        var webRoot = RepoFiles.Path("src", "HotlineBot", "wwwroot");
        Assert.That(File.Exists(Path.Combine(webRoot, HotlineBot.Dashboard.DashboardFiles.Probe)), "the probe is a file every publish has");
        using var host = new HotlineHost(new() { ["webroot"] = webRoot }, environment: "Production");
        host.CreateClient().Dispose();

        Assert.That(host.Logs.GetSnapshot().Select(r => r.Message), Has.None.StartsWith("The dashboard's files are not in"));
    }

    [Test]
    public void Start_InDevelopmentWithoutAKey_GeneratesOneUnderDataAndKeepsIt()
    {
        using var host = new HotlineHost(new() { ["Privacy:NikKey"] = null });
        using var client = host.CreateClient();

        var keyFile = Path.Combine(host.Directory, "data", "nik.key");
        Assert.That(File.Exists(keyFile), Is.True);
        Assert.That(Convert.FromBase64String(File.ReadAllText(keyFile)), Has.Length.EqualTo(32));
        Assert.That(host.Logs.GetSnapshot().Select(r => r.Message), Has.Some.Contains("No NIK key configured"));
    }
}
