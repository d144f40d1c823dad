using System.Collections.Concurrent;
using System.Net;
using Dapper;
using Npgsql;

namespace HotlineBot.Tests.Storage;

/// <summary>
/// Two hotline processes on one PostgreSQL, no sticky routing: each sender's messages alternate between the instances,
/// two partners' TERIMA for one case race through different instances, SLA deadlines fall due while both run, and one
/// instance is killed with SIGKILL mid-run and restarted (as systemd would). Nothing acknowledged is lost, nothing is
/// doubled, each sender's answers land in order, each escalation happens once, and every notification leaves.
/// </summary>
public sealed class TwoInstancesTests
{
    private const int Senders = 24;
    private const string Puskesmas = "+6281100000102";
    private const string Ambulans = "+6281100000104";

    [Test]
    [CancelAfter(240_000)]
    public async Task TwoInstancesOnOneDatabase_UnderLoadAndAKill_LoseNothing_DoubleNothing_EscalateOnce(CancellationToken ct)
    {
        await using var postgres = await TestPostgres.CreateAsync();
        await using var twilio = await FakeTwilio.StartAsync();
        var dirs = new[] { Directory.CreateTempSubdirectory("hotline-a-").FullName, Directory.CreateTempSubdirectory("hotline-b-").FullName };
        Dictionary<string, string?> Settings(int i, int port)
        {
            var s = HotlineProcess.ProductionSettings(dirs[i], port);
            s["Storage__Provider"] = "postgres";
            s["ConnectionStrings__Hotline"] = postgres.ConnectionString;
            s["Hotline__InstanceId"] = i == 0 ? "a" : "b";
            s["Twilio__ApiBaseUrl"] = twilio.BaseUrl;
            s["Hotline__PartnersFile"] = RepoFiles.Path("deploy", "partners.demo.yaml");
            s["Routing__OfficerContacts__0"] = "+6281100000999";
            s["Sla__AcceptWithin"] = "00:00:05";           // deadlines fall due while both run
            s["Pacing__ContactGap"] = "00:00:00.1";
            s["Pacing__PerSecond__twilio"] = "100";
            return s;
        }
        var settings = new[] { Settings(0, HotlineProcess.FreePort()), Settings(1, HotlineProcess.FreePort()) };
        var instances = new HotlineProcess[2];
        instances[0] = HotlineProcess.Start(dirs[0], settings[0]);
        await instances[0].WaitReadyAsync();           // the first migrates; the second finds it done
        instances[1] = HotlineProcess.Start(dirs[1], settings[1]);
        await instances[1].WaitReadyAsync();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
            var acknowledged = new ConcurrentQueue<(string Url, List<KeyValuePair<string, string>> Form, string Reply)>();
            var turn = 0;

            // No sticky routing: each request goes to the next instance; one that is down, to the other.
            async Task<string> PostAsync(List<KeyValuePair<string, string>> form)
            {
                while (true)
                {
                    ct.ThrowIfCancellationRequested();
                    var url = instances[Interlocked.Increment(ref turn) % 2].Url;
                    try
                    {
                        using var request = Webhooks.SignedRequest.Twilio("/webhooks/twilio/messages", Webhooks.SignedRequest.FormBody(form));
                        request.RequestUri = new Uri(url + "/webhooks/twilio/messages");
                        using var response = await http.SendAsync(request, ct);
                        if (response.StatusCode == HttpStatusCode.OK)
                        {
                            var reply = await response.Content.ReadAsStringAsync(ct);
                            acknowledged.Enqueue((url, form, reply));
                            return reply;
                        }
                    }
                    catch (HttpRequestException) { }
                    catch (TaskCanceledException) when (!ct.IsCancellationRequested) { }
                    await Task.Delay(50, ct);
                }
            }

            async Task SenderAsync(int s)
            {
                await Task.Delay(s * 60, ct);
                var steps = WholeReport.Steps(s);
                for (var k = 0; k < steps.Count; k++)
                {
                    var text = steps[k];
                    await PostAsync(HotlineHost.SmsForm($"+62812888{s:D5}", text, $"SMtwo{s:D4}{k:D2}{new string('0', 23)}"));
                }
            }

            var senders = Task.WhenAll(Enumerable.Range(0, Senders).Select(SenderAsync));
            while (acknowledged.Count < Senders * WholeReport.Length / 2) await Task.Delay(20, ct);
            instances[1].Kill();
            var killedAt = DateTimeOffset.UtcNow;
            instances[1].Dispose();
            instances[1] = HotlineProcess.Start(dirs[1], settings[1]);
            await instances[1].WaitReadyAsync();
            await senders;

            // Partner codes racing on the same cases, through different instances.
            string[] codes;
            await using (var db = new NpgsqlConnection(postgres.ConnectionString))
                codes = (await db.QueryAsync<string>("SELECT code FROM cases ORDER BY id LIMIT 6")).ToArray();
            await Task.WhenAll(codes.Select(async (code, i) =>
            {
                var a = PostAsync(HotlineHost.SmsForm(Puskesmas, $"TERIMA {code}", $"SMterima{i:D2}p{new string('0', 21)}"));
                var b = PostAsync(HotlineHost.SmsForm(Ambulans, $"TERIMA {code}", $"SMterima{i:D2}a{new string('0', 21)}"));
                await Task.WhenAll(a, b);
            }));

            // Every acknowledged webhook, replayed on either instance, gets the same reply.
            foreach (var (url, form, reply) in acknowledged.ToArray())
            {
                using var again = Webhooks.SignedRequest.Twilio("/webhooks/twilio/messages", Webhooks.SignedRequest.FormBody(form));
                again.RequestUri = new Uri(instances[url == instances[0].Url ? 1 : 0].Url + "/webhooks/twilio/messages");
                using var response = await http.SendAsync(again, ct);
                Assert.That(await response.Content.ReadAsStringAsync(ct), Is.EqualTo(reply));
            }

            await using var check = new NpgsqlConnection(postgres.ConnectionString);
            const string Waiting = "SELECT count(*) FROM messages WHERE direction = 'out' AND status IN ('queued', 'sending')";
            var until = DateTime.UtcNow.AddSeconds(60);
            while ((await check.ExecuteScalarAsync<long>(Waiting) > 0 || await check.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM cases WHERE accept_due_at IS NOT NULL") > 0) && DateTime.UtcNow < until)
                await Task.Delay(250, ct);

            Assert.That(await check.ExecuteScalarAsync<long>(Waiting), Is.Zero, "every notification left");
            Assert.That(await check.ExecuteScalarAsync<long>("SELECT count(*) FROM cases"), Is.EqualTo(Senders), "one case per report");
            Assert.That(await check.QueryAsync<long>("SELECT reporter_contact_id FROM cases GROUP BY reporter_contact_id HAVING count(*) > 1"), Is.Empty);
            Assert.That(await check.ExecuteScalarAsync<long>("SELECT count(*) FROM messages WHERE direction = 'in'"),
                Is.EqualTo(Senders * WholeReport.Length + codes.Length * 2), "every acknowledged message stored once");
            Assert.That(await check.QueryAsync<string>("""
                SELECT c.code FROM cases c WHERE c.patient_name NOT LIKE 'Pasien %' OR c.address NOT LIKE '%karangrau%'
                """), Is.Empty, "each sender's answers landed on the right questions, whichever instance took them");
            Assert.That(await check.QueryAsync<long>("""
                SELECT case_id FROM case_events WHERE kind = 'sla_accept_breached' GROUP BY case_id HAVING count(*) > 1
                """), Is.Empty, "each escalation once");
            Assert.That(await check.ExecuteScalarAsync<long>("SELECT count(DISTINCT case_id) FROM case_events WHERE kind = 'sla_accept_breached'"),
                Is.GreaterThanOrEqualTo(Senders - codes.Length), "the deadlines did fall due while both ran");
            Assert.That(await check.QueryAsync<long>("""
                SELECT case_id FROM case_assignments WHERE status IN ('accepted', 'done') GROUP BY case_id, need HAVING count(*) > 1
                """), Is.Empty, "one partner per need");
            Assert.That(await check.QueryAsync<long>("""
                SELECT case_id FROM messages WHERE kind = 'partner_notification' GROUP BY case_id, contact_id, body HAVING count(*) > 1
                """), Is.Empty, "no notification doubled");
            // At the provider too: each message once, but for a send that reached it just before the kill, unrecorded.
            Assert.That(twilio.Requests.GroupBy(r => r.Form.GetValueOrDefault("StatusCallback"))
                .Where(g => g.Count() > 1 && (g.Count() > 2 || g.Min(r => r.At) < killedAt.AddSeconds(-5))).Select(g => g.Key), Is.Empty);
        }
        finally
        {
            foreach (var instance in instances) instance?.Dispose();
            foreach (var dir in dirs) Directory.Delete(dir, recursive: true);
        }
    }

}
