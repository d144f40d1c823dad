using Dapper;
using HotlineBot.Commands;
using Microsoft.Data.Sqlite;

namespace HotlineBot.Tests.Commands;

/// <summary>The terminal chat talks to the hotline through the simulator webhook and the same pipeline.</summary>
public sealed class ChatCommandTests
{
    private static HotlineHost SimulatorHost() => new(new() { ["Twilio:AccountSid"] = null, ["Twilio:AuthToken"] = null });

    [Test]
    public async Task Chat_AFullReport_CreatesACaseThroughThePipeline()
    {
        using var host = SimulatorHost();
        var input = new StringReader("halo\nSiti Aminah\ntidak tahu\nDs Karangrau RT 2/3 Kec Sokaraja\n1\ntidak\nya\n");
        var output = new StringWriter();

        var exit = await ChatCommand.RunAsync(["chat", "--url", "http://localhost", "--from", "0812-3456-7890"], input, output, host.Server.CreateHandler());

        Assert.That(exit, Is.Zero);
        Assert.That(output.ToString(), Does.Contain("bot> Hotline Dinsos").And.Contain("Laporan tercatat dgn kode"));
        await using var connection = new SqliteConnection($"Data Source={host.DatabasePath}");
        Assert.That(await connection.ExecuteScalarAsync<string>("SELECT c.address FROM cases JOIN contacts c ON c.id = cases.reporter_contact_id"),
            Is.EqualTo("sim:+6281234567890"));
    }

    [Test]
    public async Task Simulator_WhenTwilioIsConfigured_IsNotMapped()
    {
        using var host = new HotlineHost();
        using var client = host.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["from"] = "0812", ["text"] = "halo", ["id"] = "1" });

        using var response = await client.PostAsync(new Uri("/simulator/messages", UriKind.Relative), form);

        // No such endpoint: like any unknown path, it sends an anonymous caller to the dashboard's sign-in.
        Assert.That((int)response.StatusCode, Is.EqualTo(302));
        Assert.That(response.Headers.Location?.AbsolutePath, Is.EqualTo("/login"));
    }

    [Test]
    public async Task Simulator_WithoutAnId_Is400()
    {
        using var host = SimulatorHost();
        using var client = host.CreateClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["from"] = "081234567890", ["text"] = "halo" });

        using var response = await client.PostAsync(new Uri("/simulator/messages", UriKind.Relative), form);

        Assert.That((int)response.StatusCode, Is.EqualTo(400));
    }

    [Test]
    public async Task Simulator_WithoutTwilio_APartnerInASecondTerminalGetsTheCaseAndTakesIt()
    {
        using var host = SimulatorHost();
        var reporter = new StringWriter();
        await ChatCommand.RunAsync(["chat", "--url", "http://localhost", "--from", "081234567890"],
            new StringReader("halo\nSiti Aminah\ntidak tahu\nds karangrau kec sokaraja\n1\ntidak\nya\n"), reporter, host.Server.CreateHandler());
        await host.RunTimersAsync();   // the outbox, as Hangfire would run it

        using var client = host.CreateClient();
        var forPartner = await client.GetStringAsync(new Uri("/simulator/messages?from=081100000102", UriKind.Relative));
        Assert.That(forPartner, Does.Contain("KASUS 7858"), "the puskesmas's notification went to the simulator");

        var partner = new StringWriter();
        await ChatCommand.RunAsync(["chat", "--url", "http://localhost", "--from", "081100000102"], new StringReader("TERIMA 7858\n"), partner, host.Server.CreateHandler());
        await host.RunTimersAsync();

        Assert.That(partner.ToString(), Does.Contain("bot> Tercatat: Anda menerima kasus 7858"));
        var forReporter = await client.GetStringAsync(new Uri("/simulator/messages?from=081234567890", UriKind.Relative));
        Assert.That(forReporter, Does.Contain("Puskesmas Sokaraja sudah menerima"));
    }
}
