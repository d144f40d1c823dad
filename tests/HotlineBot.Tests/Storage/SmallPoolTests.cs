using System.Net;
using Dapper;
using HotlineBot.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace HotlineBot.Tests.Storage;

/// <summary>
/// The runbook (deploy/README.md) tells an office to give each instance a few PostgreSQL connections per database core.
/// An instance so configured, with its Hangfire server on, takes a burst of whole reports from many senders in a few
/// seconds each: no request waits for a connection that background work holds, nothing is parked, every case is made
/// and every partner notification leaves. (SQLite's writer keeps one connection of its own: this is PostgreSQL's.)
/// </summary>
public sealed class SmallPoolTests
{
    private const int Senders = 16;

    [Test]
    [CancelAfter(180_000)]
    public async Task AFewConnectionsPerCore_AsTheRunbookSays_CarryABurstOfReports_WithoutWaitingOnBackgroundWork(CancellationToken ct)
    {
        await using var postgres = await TestPostgres.CreateAsync();
        await using var twilio = await FakeTwilio.StartAsync();
        var dir = Directory.CreateTempSubdirectory("hotline-pool-").FullName;
        var settings = HotlineProcess.ProductionSettings(dir, HotlineProcess.FreePort());
        settings["Storage__Provider"] = "postgres";
        settings["ConnectionStrings__Hotline"] = postgres.ConnectionString + ";Maximum Pool Size=3;Timeout=15";
        settings["Twilio__ApiBaseUrl"] = twilio.BaseUrl;
        settings["Hotline__PartnersFile"] = RepoFiles.Path("deploy", "partners.demo.yaml");
        settings["Pacing__ContactGap"] = "00:00:00";
        settings["Pacing__PerSecond__twilio"] = "0";
        var instance = HotlineProcess.Start(dir, settings);
        try
        {
            await instance.WaitReadyAsync();
            // A webhook answered later than this is one the provider gives up on and sends again (Twilio: 15 s); waiting on
            // the pool took its whole timeout (15 s) before.
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(12) };
            var slow = new List<string>();

            async Task SenderAsync(int s)
            {
                var steps = WholeReport.Steps(s);
                for (var k = 0; k < steps.Count; k++)
                {
                    var text = steps[k];
                    using var request = Webhooks.SignedRequest.Twilio("/webhooks/twilio/messages",
                        Webhooks.SignedRequest.FormBody(HotlineHost.SmsForm($"+62812777{s:D5}", text, $"SMpool{s:D4}{k:D2}{new string('0', 24)}")));
                    request.RequestUri = new Uri(instance.Url + "/webhooks/twilio/messages");
                    var started = DateTime.UtcNow;
                    try
                    {
                        using var response = await http.SendAsync(request, ct);
                        if (response.StatusCode != HttpStatusCode.OK) lock (slow) slow.Add($"{s}/{k}: {(int)response.StatusCode}");
                    }
                    catch (TaskCanceledException) when (!ct.IsCancellationRequested)
                    {
                        lock (slow) slow.Add($"{s}/{k}: no answer in {(DateTime.UtcNow - started).TotalSeconds:0.0} s");
                    }
                }
            }

            await SenderAsync(Senders);       // one report first: the process warmed up (JIT, Hangfire's workers started)
            Assert.That(slow, Is.Empty, "the warm-up report");
            await Task.WhenAll(Enumerable.Range(0, Senders).Select(SenderAsync));
            Assert.That(slow, Is.Empty, "every webhook answered 200 in time");

            await using var check = new NpgsqlConnection(postgres.ConnectionString);
            const string Waiting = "SELECT count(*) FROM messages WHERE direction = 'out' AND status IN ('queued', 'sending')";
            var until = DateTime.UtcNow.AddSeconds(30);
            while (await check.ExecuteScalarAsync<long>(Waiting) > 0 && DateTime.UtcNow < until) await Task.Delay(200, ct);
            Assert.That(await check.ExecuteScalarAsync<long>("SELECT count(*) FROM cases"), Is.EqualTo(Senders + 1), "a case per report");
            Assert.That(await check.ExecuteScalarAsync<long>(Waiting), Is.Zero, "every notification left");
            Assert.That(await check.ExecuteScalarAsync<long>("SELECT count(*) FROM inbound_failures"), Is.Zero, "nothing parked");
            Assert.That(instance.Output + instance.Errors, Does.Not.Contain("pool has been exhausted"));
        }
        finally
        {
            instance.Dispose();
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>An action may wait (Hangfire's client on its own pool): it runs with the transaction's connection back
    /// in the pool, so a few connections are never all held by commits waiting on something else.</summary>
    [Test]
    public async Task AnAfterCommitAction_RunsWithTheConnectionBackInThePool()
    {
        await using var postgres = await TestPostgres.CreateAsync();
        await using (var migrating = new PostgresDatabase(postgres.ConnectionString))
            await new Migrator(migrating, TimeProvider.System, NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None);
        await using var database = new PostgresDatabase(postgres.ConnectionString + ";Maximum Pool Size=1;Timeout=2");
        long? readInAction = null;
        await database.WriteAsync(async tx =>
        {
            await Dapper.SqlMapper.ExecuteAsync(tx.Connection!, "INSERT INTO audit_log (actor, action, created_at) VALUES ('t', 'good', 0)", transaction: tx);
            database.OnCommitted(tx, () =>
            {
                using var connection = database.OpenAsync(CancellationToken.None).GetAwaiter().GetResult();
                readInAction = Dapper.SqlMapper.ExecuteScalar<long>(connection, "SELECT count(*) FROM audit_log");
            });
            return 0;
        }, CancellationToken.None);
        Assert.That(readInAction, Is.EqualTo(1), "the only connection was free, and the write committed");
    }
}
