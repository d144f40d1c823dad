using System.Net.Http.Headers;
using HotlineBot.Cases;
using HotlineBot.Channels.Twilio;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace HotlineBot.Tests;

/// <summary>
/// The real service in-process: real configuration, routing, webhooks, pipeline and a SQLite file of its own, with a
/// fake clock, seeded case codes and every log record captured. Requests are signed the way Twilio signs them.
/// </summary>
public sealed class HotlineHost : WebApplicationFactory<Program>
{
    public const string AuthToken = "test-auth-token";
    public const string AccountSid = "AC00000000000000000000000000000000";
    public const string PublicBaseUrl = "https://hotline.example.org";
    public const string NikKey = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";

    private readonly Dictionary<string, string?> _settings;
    private readonly string _environment;

    private readonly bool _ownsDirectory;
    private readonly bool _realTime;
    private readonly Storage.TestPostgres? _postgres;

    /// <param name="directory">An existing folder to reuse (a restart on the same database); else a new temporary one.</param>
    /// <param name="realTime">The system clock instead of <see cref="Clock"/> (with <c>Hangfire:Server=true</c>, jobs run
    /// as in production: a test that measures how fast the real machinery drains).</param>
    /// <param name="engine"><c>sqlite</c>, or <c>postgres</c>: a database of its own on the server <c>./test.sh</c> starts.</param>
    public HotlineHost(Dictionary<string, string?>? settings = null, string environment = "Development", string? directory = null,
        bool realTime = false, string engine = "sqlite")
    {
        _realTime = realTime;
        if (engine == "postgres")
        {
            _postgres = Storage.TestPostgres.CreateAsync().GetAwaiter().GetResult();
            settings = new Dictionary<string, string?>(settings ?? []);
            foreach (var (key, value) in _postgres.Settings) settings[key] = value;
        }
        _ownsDirectory = directory is null;
        Directory = directory ?? System.IO.Directory.CreateTempSubdirectory("hotline-test-").FullName;
        _environment = environment;
        _settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Hotline"] = $"Data Source={DatabasePath}",
            ["Hotline:FlowsPath"] = RepoFiles.Path("conversation-flows"),
            ["Hotline:PublicBaseUrl"] = PublicBaseUrl,
            ["Hotline:RegencyCode"] = "33.02",
            ["Hotline:PartnersFile"] = RepoFiles.Path("deploy", "partners.demo.yaml"),
            ["Twilio:AccountSid"] = AccountSid,
            ["Twilio:AuthToken"] = AuthToken,
            // Never the real API: a closed loopback port unless a test starts FakeTwilio.
            ["Twilio:ApiBaseUrl"] = "http://127.0.0.1:9",
            ["Twilio:SmsFrom"] = "+6281100000000",
            ["Twilio:WhatsAppFrom"] = "whatsapp:+14155238886",
            ["Privacy:NikKey"] = NikKey,
            // Tests run jobs themselves, against the fake clock; the server would run them on real time.
            ["Hangfire:Server"] = "false",
            // Unpaced unless a test measures pacing: a paced send waits on the fake clock, which only tests move.
            ["Pacing:PerSecond:twilio"] = "0", ["Pacing:PerSecond:whatsapp-cloud"] = "0", ["Pacing:PerSecond:android-sms"] = "0",
            ["Pacing:ContactGap"] = "00:00:00",
        };
        foreach (var (key, value) in settings ?? []) _settings[key] = value;
    }

    public string Directory { get; }
    public string DatabasePath => Path.Combine(Directory, "hotline.db");
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 23, 2, 0, 0, TimeSpan.Zero));
    public FakeLogCollector Logs => Services.GetRequiredService<FakeLogCollector>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        builder.UseContentRoot(Directory);
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<TimeProvider>(_realTime ? TimeProvider.System : Clock);
            services.AddSingleton(new CaseCodes(new Random(20261123)));
        });
    }

    /// <summary>Serves on a real loopback port (for a browser) instead of the in-memory test server; returns the base URL.</summary>
    public string StartKestrel()
    {
        UseKestrel(0);
        StartServer();
        return Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First();
    }

    /// <summary>Fires due conversation timers and SLA escalations, then delivers what the outbox holds, as Hangfire
    /// would; returns the bodies of the proactive messages queued meanwhile.</summary>
    public async Task<IReadOnlyList<string>> RunTimersAsync()
    {
        using var scope = Services.CreateScope();
        var before = await MaxMessageIdAsync();
        await scope.ServiceProvider.GetRequiredService<HotlineBot.Jobs.FireConversationTimersJob>().RunAsync(CancellationToken.None);
        await scope.ServiceProvider.GetRequiredService<HotlineBot.Jobs.EscalateOverdueCasesJob>().RunAsync(CancellationToken.None);
        foreach (var id in await scope.ServiceProvider.GetRequiredService<HotlineBot.Jobs.SweepOutboxJob>().RunAsync(CancellationToken.None))
            await scope.ServiceProvider.GetRequiredService<HotlineBot.Jobs.DeliverMessageJob>().RunAsync(id, CancellationToken.None);
        await using var connection = await OpenAsync();
        return (await Dapper.SqlMapper.QueryAsync<string>(connection,
            "SELECT body FROM messages WHERE direction = 'out' AND in_reply_to IS NULL AND id > @Before ORDER BY id", new { Before = before })).ToList();
    }

    /// <summary>A connection to the service's own database, whichever engine it runs on.</summary>
    public Task<System.Data.Common.DbConnection> OpenAsync() =>
        Services.GetRequiredService<HotlineBot.Storage.Database>().OpenAsync(CancellationToken.None);

    private async Task<long> MaxMessageIdAsync()
    {
        await using var connection = await OpenAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT coalesce(max(id), 0) FROM messages");
    }

    /// <summary>POSTs a form to a Twilio webhook path, signed with the test auth token unless a signature is given.</summary>
    public async Task<HttpResponseMessage> PostTwilioAsync(string path, IReadOnlyList<KeyValuePair<string, string>> form,
        string? signature = null, bool sign = true)
    {
        using var client = CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        if (sign) request.Headers.Add(TwilioChannel.SignatureHeader, signature ?? TwilioSignature.Compute(AuthToken, PublicBaseUrl + path, form));
        return await client.SendAsync(request);
    }

    private int _sid;

    /// <summary>A provider message id never used before on this host (<c>SM0…01</c>, <c>MM0…02</c>, …).</summary>
    public string NextSid(string prefix = "SM") => $"{prefix}{Interlocked.Increment(ref _sid):D32}";

    /// <summary>A citizen's (or partner's) SMS through the signed Twilio webhook, with a fresh MessageSid; asserts 200
    /// and returns the inline replies, one per line.</summary>
    public async Task<string> SmsAsync(string from, string text)
    {
        using var response = await PostTwilioAsync("/webhooks/twilio/messages", SmsForm(from, text, NextSid()));
        Assert.That(response.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK));
        return string.Join("\n", System.Xml.Linq.XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!.Elements("Message").Select(m => m.Value));
    }

    /// <summary>The service with Twilio's REST API faked on loopback (real HTTP, basic auth): what the outbox sends lands
    /// in <see cref="FakeTwilio.Requests"/>.</summary>
    public static async Task<(FakeTwilio Twilio, HotlineHost Host)> WithFakeTwilioAsync(Dictionary<string, string?>? settings = null, string engine = "sqlite")
    {
        var twilio = await FakeTwilio.StartAsync();
        var all = new Dictionary<string, string?> { ["Twilio:ApiBaseUrl"] = twilio.BaseUrl };
        foreach (var (key, value) in settings ?? []) all[key] = value;
        return (twilio, new HotlineHost(all, engine: engine));
    }

    public static List<KeyValuePair<string, string>> SmsForm(string from, string body, string sid) =>
    [
        new("ToCountry", "ID"), new("ToState", ""), new("SmsMessageSid", sid), new("NumMedia", "0"), new("ToCity", ""),
        new("FromZip", ""), new("SmsSid", sid), new("FromState", ""), new("SmsStatus", "received"), new("FromCity", ""),
        new("Body", body), new("FromCountry", "ID"), new("To", "+6281100000000"), new("ToZip", ""), new("NumSegments", "1"),
        new("MessageSid", sid), new("AccountSid", AccountSid), new("From", from), new("ApiVersion", "2010-04-01"),
    ];

    public static List<KeyValuePair<string, string>> WhatsAppForm(string from, string body, string sid) =>
    [
        new("SmsMessageSid", sid), new("NumMedia", "0"), new("ProfileName", "Budi"), new("MessageType", "text"),
        new("SmsSid", sid), new("WaId", from.TrimStart('+')), new("SmsStatus", "received"), new("Body", body),
        new("To", "whatsapp:+14155238886"), new("NumSegments", "1"), new("ReferralNumMedia", "0"), new("MessageSid", sid),
        new("AccountSid", AccountSid), new("From", "whatsapp:" + from), new("ApiVersion", "2010-04-01"),
    ];

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (disposing && _postgres is not null) _postgres.DisposeAsync().AsTask().GetAwaiter().GetResult();
        if (disposing && _ownsDirectory && System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
    }
}
