using System.Xml.Linq;

namespace HotlineBot.Tests.Jobs;

/// <summary>WhatsApp's 24-hour window with a fake clock: outside it, a template or SMS — never free text.</summary>
public sealed class WhatsAppWindowTests
{
    private const string Reporter = "+6281299998888";
    private const string Puskesmas = "+6281100000102";
    private FakeTwilio _twilio = null!;
    private int _sid;

    [SetUp]
    public async Task SetUp() => _twilio = await FakeTwilio.StartAsync();

    [TearDown]
    public async Task TearDown() => await _twilio.DisposeAsync();

    private HotlineHost Host(Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?> { ["Twilio:ApiBaseUrl"] = _twilio.BaseUrl };
        foreach (var (k, v) in extra ?? []) settings[k] = v;
        return new HotlineHost(settings);
    }

    private static async Task Post(HotlineHost host, List<KeyValuePair<string, string>> form)
    {
        using var response = await host.PostTwilioAsync("/webhooks/twilio/messages", form);
        XDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>A WhatsApp report, the partner's TERIMA after <paramref name="later"/>: returns the request that carried the reporter's update.</summary>
    private async Task<FakeTwilio.Recorded?> UpdateAfter(HotlineHost host, TimeSpan later)
    {
        foreach (var text in new[] { "halo", "Siti Aminah", "tidak tahu", "ds karangrau kec sokaraja", "1", "tidak", "ya" })
            await Post(host, HotlineHost.WhatsAppForm(Reporter, text, $"SM{++_sid:D32}"));
        await host.RunTimersAsync();
        host.Clock.Advance(later);
        await Post(host, HotlineHost.SmsForm(Puskesmas, "TERIMA 7858", $"SM{++_sid:D32}"));
        await host.RunTimersAsync();
        return _twilio.Requests.LastOrDefault(r => r.Form["To"].EndsWith(Reporter, StringComparison.Ordinal) && r.Form.GetValueOrDefault("Body") != null | r.Form.ContainsKey("ContentSid"));
    }

    [Test]
    public async Task WithinTheWindow_TheUpdateIsFreeText()
    {
        using var host = Host();

        var update = (await UpdateAfter(host, TimeSpan.FromHours(23)))!;

        Assert.That(update.Form["To"], Is.EqualTo("whatsapp:" + Reporter));
        Assert.That(update.Form["Body"], Does.Contain("Puskesmas Sokaraja sudah menerima"));
    }

    [Test]
    public async Task After25Hours_WithATemplate_TheUpdateIsTheTemplate()
    {
        using var host = Host(new() { ["WhatsApp:Templates:reporter_update"] = "HX0123456789abcdef0123456789abcdef" });

        var update = (await UpdateAfter(host, TimeSpan.FromHours(25)))!;

        Assert.That(update.Form["To"], Is.EqualTo("whatsapp:" + Reporter));
        Assert.That(update.Form["ContentSid"], Is.EqualTo("HX0123456789abcdef0123456789abcdef"));
        Assert.That(update.Form["ContentVariables"], Does.Contain("Puskesmas Sokaraja sudah menerima"));
        Assert.That(update.Form.ContainsKey("Body"), Is.False, "never free text outside the window");
    }

    [Test]
    public async Task After25Hours_WithoutATemplate_TheUpdateGoesBySms()
    {
        using var host = Host();

        var update = (await UpdateAfter(host, TimeSpan.FromHours(25)))!;

        Assert.That(update.Form["To"], Is.EqualTo(Reporter), "SMS to the same number");
        Assert.That(update.Form["Body"], Does.Contain("Puskesmas Sokaraja sudah menerima"));
        Assert.That(_twilio.Requests.Where(r => r.Form["To"] == "whatsapp:" + Reporter).Select(r => r.Form.GetValueOrDefault("Body")),
            Has.None.Contains("sudah menerima"));
    }

    [Test]
    public async Task After25Hours_NeitherTemplateNorSms_TheUpdateFailsForTheOfficers()
    {
        using var host = Host(new() { ["WhatsApp:SmsFallback"] = "false" });

        var update = await UpdateAfter(host, TimeSpan.FromHours(25));

        Assert.That(update, Is.Null, "nothing reached the reporter: no free text outside the window");
        Assert.That(_twilio.Requests.Select(r => r.Form.GetValueOrDefault("Body") ?? ""), Has.None.Contains("sudah menerima"));
    }

    [Test]
    public async Task Twilio63016_WhenOurClockThoughtItWasOpen_GoesTheSameWay()
    {
        using var host = Host(new() { ["WhatsApp:Templates:reporter_update"] = "HXfeed", ["WhatsApp:Templates:partner_notification"] = "HXfeed" });
        foreach (var text in new[] { "halo", "Siti Aminah", "tidak tahu", "ds karangrau kec sokaraja", "1", "tidak", "ya" })
            await Post(host, HotlineHost.WhatsAppForm(Reporter, text, $"SM{++_sid:D32}"));
        await host.RunTimersAsync();
        var before = _twilio.Requests.Count;
        // First the 'taken' notice to the WhatsApp ambulance partner (who never wrote: a template from the start), then
        // the reporter's update, whose window looks open to us but is closed at WhatsApp.
        _twilio.Then(201, """{"sid":"SMscripted0000000000000000000000"}""");
        _twilio.Then(400, """{"code":63016,"message":"Failed to send freeform message because you are outside the allowed window."}""");
        await Post(host, HotlineHost.SmsForm(Puskesmas, "TERIMA 7858", $"SM{++_sid:D32}"));
        await host.RunTimersAsync();

        var sends = _twilio.Requests.Skip(before).ToList();
        Assert.That(sends[0].Form["ContentSid"], Is.EqualTo("HXfeed"), "the partner who never wrote gets the template at once");
        var refused = sends[1];
        var resent = sends[2];
        Assert.That(refused.Form.ContainsKey("Body"), Is.True, "free text was tried first: the window looked open");
        Assert.That(resent.Form["To"], Is.EqualTo(refused.Form["To"]));
        Assert.That(resent.Form["ContentSid"], Is.EqualTo("HXfeed"));
        Assert.That(resent.Form.ContainsKey("Body"), Is.False);
    }

    [Test]
    public async Task Twilio63016_InAStatusCallbackAfterTheSendWasAccepted_GoesAgainOnceAsTheTemplate()
    {
        using var host = Host(new() { ["WhatsApp:Templates:reporter_update"] = "HXfeed", ["WhatsApp:Templates:partner_notification"] = "HXfeed" });
        var update = (await UpdateAfter(host, TimeSpan.FromHours(1)))!;
        Assert.That(update.Form.ContainsKey("Body"), Is.True, "free text: the window looked open");
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={host.DatabasePath}");
        var (id, sid) = await Dapper.SqlMapper.QuerySingleAsync<(long, string)>(connection,
            "SELECT id, provider_message_id FROM messages WHERE kind = 'reporter_update' AND status = 'sent'");
        var before = _twilio.Requests.Count;

        async Task Callback()
        {
            List<KeyValuePair<string, string>> form =
                [new("MessageSid", sid), new("MessageStatus", "failed"), new("ErrorCode", "63016"), new("AccountSid", HotlineHost.AccountSid)];
            using var response = await host.PostTwilioAsync($"/webhooks/twilio/status?m={id}", form);
            Assert.That(response.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK));
        }
        await Callback();
        await host.RunTimersAsync();
        await Callback();                          // the same report again: nothing more is sent
        await host.RunTimersAsync();

        var resent = _twilio.Requests.Skip(before).ToList();
        Assert.That(resent, Has.Count.EqualTo(1));
        Assert.That(resent[0].Form["To"], Is.EqualTo("whatsapp:" + Reporter));
        Assert.That(resent[0].Form["ContentSid"], Is.EqualTo("HXfeed"));
        Assert.That(resent[0].Form.ContainsKey("Body"), Is.False);
        Assert.That(await Dapper.SqlMapper.ExecuteScalarAsync<string>(connection, "SELECT status FROM messages WHERE id = @id", new { id }), Is.EqualTo("sent"));
    }
}
