namespace HotlineBot.Tests.Configuration;

public sealed class RequiredSettingsTests
{
    [Test]
    public void Start_InProductionWithoutSecrets_StopsNamingEachMissingSetting()
    {
        using var host = new HotlineHost(new()
        {
            ["Privacy:NikKey"] = null, ["Twilio:AuthToken"] = null, ["Twilio:AccountSid"] = null,
        }, environment: "Production");

        var error = Assert.Throws<InvalidOperationException>(() => host.CreateClient());

        Assert.That(error!.Message, Does.Contain("Privacy:NikKey").And.Contain("Twilio:AuthToken").And.Contain("Twilio:AccountSid"));
    }

    [Test]
    public void Start_WithAFallbackToAnUnknownProvider_StopsNamingTheSetting()
    {
        using var host = new HotlineHost(new() { ["Channels:Fallback:android-sms"] = "twillio, sms" });

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => host.CreateClient());

        Assert.That(error!.Message, Does.Contain("Channels:Fallback:android-sms names 'twillio'"));
    }

    [Test]
    public void Start_InProductionWithSecrets_Serves()
    {
        using var host = new HotlineHost(environment: "Production");

        Assert.That(() => host.CreateClient(), Throws.Nothing);
    }

    [Test]
    public void Start_WithABrokenFlow_StopsNamingFileLineAndStep()
    {
        var flows = Directory.CreateTempSubdirectory("flows-").FullName;
        File.Copy(RepoFiles.Path("conversation-flows", "lapor-sakit.yaml"), Path.Combine(flows, "lapor-sakit.yaml"));
        File.WriteAllText(Path.Combine(flows, "rusak.yaml"), "version: 1\nid: rusak\nsteps:\n  - id: a\n    input: umur\n");
        using var host = new HotlineHost(new() { ["Hotline:FlowsPath"] = flows });

        var error = Assert.Throws<HotlineBot.Core.Dialogs.FlowException>(() => host.CreateClient());

        Assert.That(error!.Message, Does.Contain("rusak.yaml:4: step 'a': unknown input type 'umur'"));
        Directory.Delete(flows, recursive: true);
    }

    [Test]
    public void Start_WithAShortNikKey_Stops()
    {
        using var host = new HotlineHost(new() { ["Privacy:NikKey"] = Convert.ToBase64String(new byte[16]) });

        Assert.That(() => host.CreateClient(), Throws.InvalidOperationException.With.Message.Contains("32 bytes"));
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
