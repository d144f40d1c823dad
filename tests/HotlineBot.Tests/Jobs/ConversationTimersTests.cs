using Dapper;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests.Jobs;

/// <summary>Idle reminders and expiry: due times in the database, fired by the timers job, with a fake clock.</summary>
public sealed class ConversationTimersTests
{
    private static async Task Say(HotlineHost host, string from, string text, string sid)
    {
        using var response = await host.PostTwilioAsync("/webhooks/twilio/messages", HotlineHost.SmsForm(from, text, sid));
        Assert.That((int)response.StatusCode, Is.EqualTo(200));
    }

    private static async Task<T> Scalar<T>(HotlineHost host, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={host.DatabasePath}");
        return (await connection.ExecuteScalarAsync<T>(sql))!;
    }

    [Test]
    public async Task Reminder_BeforeItsTime_IsNotSent()
    {
        using var host = new HotlineHost();
        await Say(host, "+6281200000001", "halo", "SM1");

        host.Clock.Advance(TimeSpan.FromMinutes(14));

        Assert.That(await host.RunTimersAsync(), Is.Empty);
    }

    [Test]
    public async Task Reminder_AfterFifteenQuietMinutes_IsQueuedOnceWithTheQuestion()
    {
        using var host = new HotlineHost();
        await Say(host, "+6281200000001", "halo", "SM1");

        host.Clock.Advance(TimeSpan.FromMinutes(15));
        var first = await host.RunTimersAsync();
        host.Clock.Advance(TimeSpan.FromMinutes(30));
        var second = await host.RunTimersAsync();

        Assert.That(first, Has.Count.EqualTo(1));
        Assert.That(first[0], Does.StartWith("Kami masih menunggu jawaban Anda").And.EndWith("Siapa nama pasien/warga yang sakit?"));
        Assert.That(second, Is.Empty);
    }

    [Test]
    public async Task Reminder_AnAnswerInBetween_StartsTheQuietTimeAgain()
    {
        using var host = new HotlineHost();
        await Say(host, "+6281200000001", "halo", "SM1");
        host.Clock.Advance(TimeSpan.FromMinutes(10));
        await Say(host, "+6281200000001", "Siti Aminah", "SM2");

        host.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.That(await host.RunTimersAsync(), Is.Empty);
        host.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.That(await host.RunTimersAsync(), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Expiry_AfterTwoHours_ClosesTheConversation()
    {
        using var host = new HotlineHost();
        await Say(host, "+6281200000001", "halo", "SM1");

        host.Clock.Advance(TimeSpan.FromHours(2));
        await host.RunTimersAsync();

        Assert.That(await Scalar<string>(host, "SELECT status FROM conversations"), Is.EqualTo("expired"));
        Assert.That(await Scalar<long>(host, "SELECT count(*) FROM conversations WHERE remind_at IS NOT NULL OR expires_at IS NOT NULL"), Is.Zero);
    }

    [Test]
    public async Task Restart_WithAReminderPending_SendsItFromTheDatabase()
    {
        var directory = Directory.CreateTempSubdirectory("hotline-restart-").FullName;
        DateTimeOffset said;
        using (var before = new HotlineHost(new() { ["Twilio:AccountSid"] = null, ["Twilio:AuthToken"] = null }, directory: directory))
        {
            said = before.Clock.GetUtcNow();
            using var client = before.CreateClient();
            using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["from"] = "081200000002", ["text"] = "halo", ["id"] = "s1" });
            (await client.PostAsync(new Uri("/simulator/messages", UriKind.Relative), form)).Dispose();
        }   // the process stops before the reminder is due; Hangfire's in-memory queue is gone with it

        using var after = new HotlineHost(new() { ["Twilio:AccountSid"] = null, ["Twilio:AuthToken"] = null }, directory: directory);
        after.Clock.SetUtcNow(said + TimeSpan.FromMinutes(20));
        using var client2 = after.CreateClient();

        var recurring = after.Services.GetRequiredService<JobStorage>().GetConnection().GetRecurringJobs().Select(j => j.Id);
        Assert.That(recurring, Is.SupersetOf(new[] { "conversation-timers", "outbox-sweep" }), "fired by Hangfire every minute");
        Assert.That(await after.RunTimersAsync(), Has.Count.EqualTo(1));
        Assert.That(await Scalar<string>(after, "SELECT status FROM messages WHERE in_reply_to IS NULL AND direction = 'out'"), Is.EqualTo("sent"));
        var shown = await client2.GetStringAsync(new Uri("/simulator/messages?from=081200000002", UriKind.Relative));
        Assert.That(shown, Does.Contain("Kami masih menunggu jawaban Anda"));
        Directory.Delete(directory, recursive: true);
    }

    [Test]
    public async Task Startup_EnqueuesBothSweeps_SoNothingWaitsForTheFirstMinute()
    {
        using var host = new HotlineHost();
        using var client = host.CreateClient();

        var monitor = host.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var enqueued = monitor.EnqueuedJobs("default", 0, 10).Select(j => j.Value.Job.Type.Name);

        Assert.That(enqueued, Is.SupersetOf(new[] { "FireConversationTimersJob", "SweepOutboxJob" }));
    }
}
