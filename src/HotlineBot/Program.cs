using System.Net;
using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.AspNetCore.DataProtection;
using HotlineBot.Cases;
using HotlineBot.Channels;
using HotlineBot.Jobs;
using HotlineBot.Channels.AndroidSmsGateway;
using HotlineBot.Channels.Simulator;
using HotlineBot.Channels.Twilio;
using HotlineBot.Channels.WhatsAppCloud;
using HotlineBot.Commands;
using HotlineBot.Configuration;
using HotlineBot.Core.Dialogs;
using HotlineBot.Core.Indonesia;
using HotlineBot.Core.Indonesia.Regions;
using HotlineBot.Privacy;
using HotlineBot.Storage;
using HotlineBot.Webhooks;
using HotlineBot.Dashboard;
using HotlineBot.Dashboard.Components;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.HttpOverrides;
using MudBlazor.Services;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

// Commands (CommandLine.Usage): (none) serve · migrate · partners import FILE · users add NAME · chat · flows check · help.
// `chat` and `flows check` need no host.
var command = CommandLine.Command(args);
if (CommandLine.WantsHelp(args))
{
    Console.Out.Write(CommandLine.Usage);
    return 0;
}
if (command is not null && !CommandLine.Known.Contains(command))
{
    Console.Error.WriteLine($"hotlinebot: unknown command '{command}'. Commands: {string.Join(", ", CommandLine.Known.Order(StringComparer.Ordinal))} (see --help).");
    return 2;
}
if (command == "chat") return await ChatCommand.RunAsync(args, Console.In, Console.Out);
if (command == "flows") return FlowsCheckCommand.Run(args, Console.Out);
if (command == "storage")
{
    using var logs = LoggerFactory.Create(l => l.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
    try { return await StorageCopy.RunAsync(args, Console.Out, Console.Error, logs, CancellationToken.None); }
    catch (SettingException e) { Console.Error.WriteLine(e.Message); return 1; }
    catch (Npgsql.NpgsqlException e) { Console.Error.WriteLine($"storage copy: PostgreSQL refused or could not be reached: {e.Message}"); return 1; }
}

// A problem an office can fix (a missing or invalid setting, a broken flow or partners file, a port in use) ends
// start-up with a line that names it and a non-zero exit, never a stack trace (StartupProblem).
try
{

    // No reload-on-change for configuration: the watcher would watch the working directory, where data/ takes every
    // database write, and burn CPU on each one. Restart the service to apply new settings.
    var builder = WebApplication.CreateBuilder(["--hostBuilder:reloadConfigOnChange=false", .. args]);
    // Defaults live in code (DESIGN.md §3), so the service reads only what an office sets: appsettings*.json in the working
    // directory, or environment variables (Twilio__AuthToken). Configuration may still lower or raise these levels.
    builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
    // Five lines per outbound send (HttpClient's start/end, Polly's attempt) at the default level would cost more than
    // the send; a failed attempt or a retry is still a warning. (These rules win over the same category in
    // configuration; a longer one there, e.g. Logging:LogLevel:System.Net.Http.HttpClient.twilio, still applies.)
    builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
    builder.Logging.AddFilter("Polly", LogLevel.Warning);
    // A start that fails on what StartupProblem describes (a port in use) is said in one line below; the host's own
    // "Hosting failed to start" error would add a stack trace to the journal. Only while starting: afterwards the
    // host's errors are logged as usual (and a start that fails on a bug still ends with its stack trace).
    var starting = true;
    builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", level => !(starting && level >= LogLevel.Error));

    // Configuration: the names of DESIGN.md §3, bound from appsettings and environment variables.
    builder.Services.Configure<HotlineOptions>(builder.Configuration.GetSection(HotlineOptions.Section));
    builder.Services.Configure<TwilioOptions>(builder.Configuration.GetSection(TwilioOptions.Section));
    builder.Services.Configure<RoutingOptions>(builder.Configuration.GetSection(RoutingOptions.Section));
    builder.Services.Configure<SlaOptions>(builder.Configuration.GetSection(SlaOptions.Section));
    // Forwarded headers are believed from a proxy on this host, and from Hotline:TrustedProxies (CIDR ranges: a proxy in
    // another container, e.g. deploy/compose.yaml's nginx), so sign-in limits, metrics and cookies see the real client.
    builder.Services.Configure<ForwardedHeadersOptions>(o =>
    {
        o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
        foreach (var range in builder.Configuration.GetSection("Hotline:TrustedProxies").Get<string[]>() ?? [])
            o.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(range, out var network) ? network
                : throw new SettingException($"Hotline:TrustedProxies: '{range}' is not a CIDR range such as 172.16.0.0/12."));
    });
    builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 1024 * 1024);

    // Services.
    builder.Services.AddSingleton(TimeProvider.System);
    builder.Services.AddSingleton(new CaseCodes(Random.Shared));
    // Storage:Provider (DESIGN.md §3): SQLite, the embedded default, or PostgreSQL — which also decides where Hangfire's
    // queue, the pacing slots and the live updates live (below).
    var postgres = string.Equals(builder.Configuration["Storage:Provider"], "postgres", StringComparison.OrdinalIgnoreCase);
    builder.Services.AddSingleton<Database>(sp =>
    {
        var connectionString = sp.GetRequiredService<IConfiguration>().GetConnectionString("Hotline");
        return postgres
            ? new PostgresDatabase(connectionString ?? throw new SettingException("Storage:Provider=postgres needs ConnectionStrings:Hotline (e.g. ConnectionStrings__Hotline=\"Host=127.0.0.1;Database=hotline;Username=hotline;Password=…\")."),
                sp.GetRequiredService<ILogger<PostgresDatabase>>())
            : new SqliteDatabase(connectionString ?? "Data Source=data/hotline.db", sp.GetRequiredService<IHostEnvironment>().ContentRootPath,
                sp.GetRequiredService<ILogger<SqliteDatabase>>());
    });
    builder.Services.AddSingleton<Migrator>();
    builder.Services.AddSingleton<Instance>();
    builder.Services.AddSingleton<ContactStore>();
    builder.Services.AddSingleton<ConversationStore>();
    builder.Services.AddSingleton<MessageStore>();
    builder.Services.AddSingleton<TurnStore>();
    builder.Services.AddSingleton<CaseStore>();
    builder.Services.AddSingleton<InboundFailureStore>();
    builder.Services.AddSingleton<PoisonMessages>();
    // Oversized webhook bodies: anyone can send them, so they are logged once a minute at most.
    builder.Services.AddSingleton(new LogRate(TimeSpan.FromMinutes(1)));
    // Metrics (GET /metrics, Prometheus text): the hotline's own meters and ASP.NET Core's, HttpClient's and the runtime's.
    builder.Services.AddSingleton<HotlineBot.Metrics.HotlineMetrics>();
    builder.Services.AddOptions<HotlineBot.Metrics.MetricsOptions>().Bind(builder.Configuration.GetSection(HotlineBot.Metrics.MetricsOptions.Section))
        .Validate(o => o.Networks.All(n => System.Net.IPNetwork.TryParse(n, out _)), "Metrics:AllowedNetworks must be CIDR ranges such as 10.0.0.0/8")
        .ValidateOnStart();
    builder.Services.AddOpenTelemetry().ConfigureResource(r => r.AddService("hotlinebot")).WithMetrics(metrics => metrics
        .AddMeter(HotlineBot.Metrics.HotlineMetrics.MeterName)
        .AddAspNetCoreInstrumentation()
        .AddHttpClientInstrumentation()
        .AddRuntimeInstrumentation()
        .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 5000));   // scrapes within 5 s share one read
    builder.Services.AddSingleton<PartnerStore>();
    builder.Services.AddSingleton<CaseEffects>();
    builder.Services.AddSingleton<EscalationSchedule>();
    builder.Services.AddSingleton<Handoffs>();
    builder.Services.AddSingleton<PartnerCommands>();
    builder.Services.AddSingleton<PartnersImport>();
    builder.Services.AddSingleton(sp => new NikProtector(NikKey.Load(sp.GetRequiredService<IConfiguration>(),
        sp.GetRequiredService<IHostEnvironment>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("HotlineBot.Privacy"))));
    builder.Services.AddSingleton(sp =>
    {
        var options = sp.GetRequiredService<IOptions<HotlineOptions>>().Value;
        return FlowFiles.Load(Path.GetFullPath(options.FlowsPath, sp.GetRequiredService<IHostEnvironment>().ContentRootPath), options.DefaultFlow);
    });
    builder.Services.AddSingleton(sp => new AddressResolver(RegionIndex.Default, sp.GetRequiredService<IOptions<HotlineOptions>>().Value.RegencyCode));
    builder.Services.AddSingleton(sp => new DialogEngine(sp.GetRequiredService<FlowSet>(), sp.GetRequiredService<NikProtector>(), sp.GetRequiredService<AddressResolver>()));
    builder.Services.AddSingleton<InboundPipeline>();
    builder.Services.AddSingleton<DeliveryReports>();
    builder.Services.AddSingleton<TwilioChannel>();
    builder.Services.AddSingleton<SimulatorChannel>();
    builder.Services.AddSingleton<WhatsAppCloudChannel>();
    builder.Services.AddSingleton<AndroidSmsChannel>();
    builder.Services.Configure<AndroidSmsOptions>(builder.Configuration.GetSection(AndroidSmsOptions.Section));
    builder.Services.Configure<WhatsAppWindowOptions>(builder.Configuration.GetSection(WhatsAppWindowOptions.Section));
    builder.Services.Configure<WhatsAppCloudOptions>(builder.Configuration.GetSection(WhatsAppCloudOptions.Section));
    builder.Services.AddOptions<ChannelFallbackOptions>().Bind(builder.Configuration.GetSection(ChannelFallbackOptions.Section))
        .ValidateOnStart();
    builder.Services.AddSingleton<IValidateOptions<ChannelFallbackOptions>, ChannelFallbackOptions.Validator>();
    builder.Services.AddSingleton<ChannelRegistry>();
    builder.Services.AddSingleton<TwilioMedia>();
    // Redirects are followed by TwilioMedia itself, so credentials never travel to another host.
    builder.Services.AddHttpClient(TwilioMedia.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler { AllowAutoRedirect = false });
    builder.Services.AddSingleton<WhatsAppCloudMedia>();
    builder.Services.AddHttpClient(WhatsAppCloudMedia.MediaHttpClientName).ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler { AllowAutoRedirect = false });
    builder.Services.Configure<PacingOptions>(builder.Configuration.GetSection(PacingOptions.Section));
    // Pacing: in memory for one process; in the database when several instances share one PostgreSQL and one rate.
    if (postgres)
        builder.Services.AddSingleton<IPacer, DatabasePacer>();
    else
        builder.Services.AddSingleton<IPacer, Pacer>();
    // Twilio REST: timeouts and a circuit breaker, but no automatic retry of a POST that may already have sent a message;
    // DeliverMessageJob retries where the outcome is known.
    // The breaker is sized for a hotline's traffic (the default waits for 100 requests in 30 s): after 5 sends, half of
    // them failing stops sending for Twilio:BreakDuration; the outbox keeps the messages meanwhile.
    builder.Services.AddHttpClient(TwilioChannel.HttpClientName)
        .AddStandardResilienceHandler()
        .Configure((o, sp) =>
        {
            o.Retry.DisableForUnsafeHttpMethods();
            o.CircuitBreaker.MinimumThroughput = 5;
            o.CircuitBreaker.FailureRatio = 0.5;
            o.CircuitBreaker.BreakDuration = sp.GetRequiredService<IOptions<TwilioOptions>>().Value.BreakDuration;
        });

    foreach (var name in new[] { WhatsAppCloudChannel.HttpClientName, AndroidSmsChannel.HttpClientName })
        builder.Services.AddHttpClient(name)
        .AddStandardResilienceHandler()
        .Configure(o =>
        {
            o.Retry.DisableForUnsafeHttpMethods();
            o.CircuitBreaker.MinimumThroughput = 5;
            o.CircuitBreaker.FailureRatio = 0.5;
        });

    // The officers' dashboard (Blazor, server interactivity, MudBlazor): cookie sign-in against our users table. Every
    // endpoint requires a signed-in user unless it says AllowAnonymous (webhooks, health, the sign-in page, static files).
    builder.Services.AddRazorComponents().AddInteractiveServerComponents();
    builder.Services.AddMudServices();
    builder.Services.AddCascadingAuthenticationState();
    builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(o =>
    {
        o.LoginPath = "/login";
        o.AccessDeniedPath = "/tidak-berwenang";
        o.Cookie.Name = "hb.auth";
        o.Cookie.HttpOnly = true;
        // Lax, so a link to a case opened from a message or e-mail finds the officer signed in; forms carry antiforgery tokens.
        o.Cookie.SameSite = SameSiteMode.Lax;
        o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.ExpireTimeSpan = TimeSpan.FromHours(12);
        o.SlidingExpiration = true;
        o.Events.OnValidatePrincipal = SessionValidation.ValidateCookieAsync;
    });
    builder.Services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, RevalidatingOfficerState>();
    builder.Services.AddAuthorizationBuilder()
        .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
        .AddPolicy(Roles.Admin, p => p.RequireRole(Roles.Admin));
    builder.Services.AddAntiforgery(o =>
    {
        o.Cookie.Name = "hb.antiforgery";
        // Secure behind HTTPS (the proxy's X-Forwarded-Proto); the framework's default never marks it.
        o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
    });
    // Password guessing from one address across many usernames: the per-account lockout does not see it, this does.
    builder.Services.AddRateLimiter(o =>
    {
        o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        o.GlobalLimiter = System.Threading.RateLimiting.PartitionedRateLimiter.Create<HttpContext, string>(http =>
            System.Threading.RateLimiting.RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new System.Threading.RateLimiting.FixedWindowRateLimiterOptions { PermitLimit = 20, Window = TimeSpan.FromMinutes(1) }));
    });
    builder.Services.Configure<LockoutOptions>(builder.Configuration.GetSection(LockoutOptions.Section));
    builder.Services.AddSingleton<LiveUpdates>();
    builder.Services.AddSingleton<AuditLog>();
    builder.Services.AddSingleton<Officers>();
    builder.Services.AddSingleton<DashboardQueries>();
    builder.Services.AddSingleton<CaseActions>();
    builder.Services.AddSingleton<PartnerAdmin>();
    builder.Services.AddSingleton<Reports>();
    // Hotline:TimeZone (default Asia/Jakarta): the dashboard's times and the reports' days. Checked now, so a wrong
    // zone stops the start with one line, not the first page that shows a time.
    _ = new OfficeTime(builder.Configuration[OfficeTime.Setting], TimeProvider.System);
    CaseMap.Check(builder.Configuration[CaseMap.TilesSetting]);
    builder.Services.AddSingleton(sp => new OfficeTime(builder.Configuration[OfficeTime.Setting], sp.GetRequiredService<TimeProvider>()));
    builder.Services.AddSingleton<SimulatorGate>();
    builder.Services.AddSingleton<DemoData>();
    // The first start has no dashboard user: once the server listens, an admin is created (FirstAdmin says where its password is).
    builder.Services.AddHostedService<FirstAdmin>();
    // Once listening (so never in a second start on a taken port), messages a crash left half-sent are queued again.
    builder.Services.AddHostedService<InterruptedSends>();

    // Jobs: Hangfire runs them; our tables say what is pending, so Hangfire's in-memory storage losing its queue on a
    // restart loses nothing (the sweeps find it again).
    builder.Services.AddTransient<FireConversationTimersJob>();
    builder.Services.AddTransient<DeliverMessageJob>();
    builder.Services.AddSingleton<OutboxDispatcher>();
    builder.Services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
    builder.Services.AddTransient<SweepOutboxJob>();
    builder.Services.AddTransient<EscalateOverdueCasesJob>();
    builder.Services.AddTransient<PurgePersonalDataJob>();
    builder.Services.Configure<PurgeOptions>(builder.Configuration.GetSection(PurgeOptions.Section));
    // Hangfire's own storage: in memory with SQLite (one process; our tables say what is pending, so a restart loses
    // nothing), in PostgreSQL with PostgreSQL, so every instance shares one queue and each recurring job runs once per
    // cluster. Long polling (LISTEN/NOTIFY) hands a new job to a worker at once instead of at the next poll.
    var hangfireWorkers = builder.Configuration.GetValue("Hangfire:WorkerCount", 0) is > 0 and var configuredWorkers
        ? configuredWorkers : Math.Min(Environment.ProcessorCount * 5, 20);     // Hangfire's own default
    builder.Services.AddHangfire(c =>
    {
        c.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings();
        if (postgres)
            c.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(PostgresDatabase.ForHangfire(builder.Configuration.GetConnectionString("Hotline")!, hangfireWorkers)),
                new Hangfire.PostgreSql.PostgreSqlStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = true, EnableLongPolling = true });
        else
            c.UseInMemoryStorage();
    });
    if (postgres)
    {
        builder.Services.AddSingleton(sp => (PostgresDatabase)sp.GetRequiredService<Database>());
        builder.Services.AddHostedService<PostgresLiveUpdates>();
    }
    // Sign-in cookies and antiforgery tokens: one key ring for every instance, in our database.
    builder.Services.AddDataProtection().SetApplicationName("HotlineBot");
    builder.Services.AddSingleton<IConfigureOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>>(sp =>
        new ConfigureOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>(o =>
            o.XmlRepository = new DatabaseKeyRing(sp.GetRequiredService<Database>(), sp.GetRequiredService<TimeProvider>())));
    if (builder.Configuration.GetValue("Hangfire:Server", defaultValue: true))
        builder.Services.AddHangfireServer(o =>
        {
            o.SchedulePollingInterval = TimeSpan.FromSeconds(5);
            o.WorkerCount = hangfireWorkers;
        });

    var app = builder.Build();

    // A missing required setting stops start-up here, naming it.
    RequiredSettings.Check(app.Configuration, app.Environment);

    // Start-up: the schema is migrated and the flows and NIK key are loaded before the first request, so a broken flow
    // file or a bad key stops the service here rather than failing a citizen's message later.
    var applied = await app.Services.GetRequiredService<Migrator>().MigrateAsync(CancellationToken.None);
    if (command == "migrate")
    {
        Console.WriteLine(applied.Count == 0 ? "Database is up to date." : $"Applied: {string.Join(", ", applied)}");
        return 0;
    }
    if (command == "users")
        return await UsersCommand.RunAsync(args, app.Services.GetRequiredService<Officers>(), Console.In, Console.Out, Console.Error);
    if (command == "partners")
    {
        var file = args.SkipWhile(a => a != "import").Skip(1).FirstOrDefault();
        if (file is null) { Console.Error.WriteLine("usage: partners import FILE"); return 2; }
        var imported = await app.Services.GetRequiredService<PartnersImport>().ImportAsync(file, CancellationToken.None);
        foreach (var error in imported.Errors) Console.Error.WriteLine(error);
        Console.WriteLine(imported.Errors.Count > 0 ? "Nothing imported." : $"Imported {imported.Partners.Count} partner(s).");
        return imported.Errors.Count > 0 ? 1 : 0;
    }
    // The partners file named in the settings is the network at start-up; a file with errors stops the service here.
    if (app.Configuration["Hotline:PartnersFile"] is { Length: > 0 } partnersFile)
    {
        var imported = await app.Services.GetRequiredService<PartnersImport>().ImportAsync(
            Path.GetFullPath(partnersFile, app.Environment.ContentRootPath), CancellationToken.None);
        if (imported.Errors.Count > 0)
            throw new SettingException($"The partners file {partnersFile} (Hotline:PartnersFile) has errors:\n" + string.Join('\n', imported.Errors));
    }
    foreach (var warning in app.Services.GetRequiredService<DialogEngine>().Flows.All.SelectMany(f => f.Warnings))
        FlowWarnings.Log(app.Logger, warning.ToString());
    DashboardFiles.Check(app.Environment, app.Logger);

    if (app.Configuration.GetValue(DemoData.Setting, defaultValue: false))
        await app.Services.GetRequiredService<DemoData>().SeedAsync(CancellationToken.None);

    // Jobs: every minute, and once now, since timers and the outbox are recomputed from the database after a restart.
    var recurring = app.Services.GetRequiredService<IRecurringJobManager>();
    recurring.AddOrUpdate<FireConversationTimersJob>("conversation-timers", j => j.RunAsync(CancellationToken.None), Cron.Minutely());
    recurring.AddOrUpdate<SweepOutboxJob>("outbox-sweep", j => j.RunAsync(CancellationToken.None), Cron.Minutely());
    recurring.AddOrUpdate<EscalateOverdueCasesJob>("sla-escalation", j => j.RunAsync(CancellationToken.None), Cron.Minutely());
    recurring.AddOrUpdate<PurgePersonalDataJob>("retention-purge", j => j.RunAsync(CancellationToken.None), Cron.Daily(19));   // 02:00 WIB
    var backgroundJobs = app.Services.GetRequiredService<IBackgroundJobClient>();
    backgroundJobs.Enqueue<FireConversationTimersJob>(j => j.RunAsync(CancellationToken.None));
    backgroundJobs.Enqueue<SweepOutboxJob>(j => j.RunAsync(CancellationToken.None));
    backgroundJobs.Enqueue<EscalateOverdueCasesJob>(j => j.RunAsync(CancellationToken.None));
    backgroundJobs.Enqueue<PurgePersonalDataJob>(j => j.RunAsync(CancellationToken.None));

    // Endpoints.
    app.UseForwardedHeaders();
    // Sign-in and antiforgery for everything but the webhooks: they verify the provider's signature themselves, and their
    // hot path skips cookie parsing and policy evaluation. Every webhook endpoint is also AllowAnonymous.
    // WebApplication adds UseAuthentication and UseAuthorization to the start of the whole pipeline when the app did not
    // call them itself, and it looks only at its own builder: the calls inside the branch below did not count, so every
    // webhook ran cookie authentication and policy evaluation after all, and every dashboard request ran them twice
    // (tools/README.md). These are the keys UseAuthentication and UseAuthorization set on the builder they are called on
    // (WebApplicationBuilder's AuthenticationMiddlewareSetKey and AuthorizationMiddlewareSetKey); WebhookPipelineTests
    // fails should a webhook be authenticated again, or a dashboard request not exactly once.
    ((IApplicationBuilder)app).Properties["__AuthenticationMiddlewareSet"] = true;
    ((IApplicationBuilder)app).Properties["__AuthorizationMiddlewareSet"] = true;
    app.UseWhen(http => !http.Request.Path.StartsWithSegments("/webhooks", StringComparison.Ordinal), dashboard =>
    {
        // The dashboard is never framed (clickjacking), never sniffed, never leaks its URLs (case codes) to other sites,
        // and runs only its own scripts (DashboardSecurity.ContentPolicy); over HTTPS browsers are told to keep to it.
        var contentPolicy = DashboardSecurity.ContentPolicy(app.Configuration[CaseMap.TilesSetting]);
        dashboard.Use((http, next) =>
        {
            http.Response.Headers.XFrameOptions = "DENY";
            http.Response.Headers.XContentTypeOptions = "nosniff";
            http.Response.Headers["Referrer-Policy"] = "same-origin";
            http.Response.Headers.ContentSecurityPolicy = contentPolicy;
            if (http.Request.IsHttps) http.Response.Headers.StrictTransportSecurity = DashboardSecurity.Hsts;
            return next(http);
        });
        dashboard.UseWhen(http => HttpMethods.IsPost(http.Request.Method) && http.Request.Path.Equals("/login", StringComparison.OrdinalIgnoreCase),
            signIn => signIn.UseRateLimiter());
        dashboard.UseAuthentication();
        dashboard.UseAuthorization();
        dashboard.UseAntiforgery();
    });
    app.MapGet("/healthz", () => Results.Text("ok")).AllowAnonymous();
    // Metrics for the office's Prometheus: no sign-in, but only from Metrics:AllowedNetworks (loopback by default).
    app.MapPrometheusScrapingEndpoint().AllowAnonymous().AddEndpointFilter(async (context, next) =>
        context.HttpContext.RequestServices.GetRequiredService<IOptions<HotlineBot.Metrics.MetricsOptions>>().Value.Allows(context.HttpContext.Connection.RemoteIpAddress)
            ? await next(context)
            : Results.Text("metrics are for the office's network", statusCode: 403));
    app.MapGet("/readyz", async (Database database, DialogEngine engine, CancellationToken ct) =>
    {
        try
        {
            await using var connection = await database.OpenAsync(ct);
            await using var probe = connection.CreateCommand();
            probe.CommandText = "SELECT 1";
            await probe.ExecuteScalarAsync(ct);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or IOException or InvalidOperationException)
        {
            return Results.Text($"database unavailable: {e.GetType().Name}", statusCode: 503);
        }
        return Results.Text($"ready: {engine.Flows.All.Count} flow(s)");
    }).AllowAnonymous();
    app.MapPost("/webhooks/twilio/messages", (HttpContext http, TwilioChannel twilio) => WebhookEndpoint.HandleAsync(http, twilio)).AllowAnonymous();
    app.MapPost("/webhooks/twilio/status", (HttpContext http, TwilioChannel twilio) => WebhookEndpoint.HandleStatusAsync(http, twilio)).AllowAnonymous();
    // Meta's subscription handshake reads query keys with dots in them (hub.mode), so they are read by name.
    app.MapGet("/webhooks/whatsapp", (HttpRequest request, WhatsAppCloudChannel cloud) =>
    {
        var (status, body) = cloud.Verify(request.Query["hub.mode"], request.Query["hub.verify_token"], request.Query["hub.challenge"]);
        return Results.Text(body, "text/plain", statusCode: status);
    }).AllowAnonymous();
    app.MapPost("/webhooks/whatsapp", (HttpContext http, WhatsAppCloudChannel cloud) => WebhookEndpoint.HandleAsync(http, cloud)).AllowAnonymous();
    app.MapPost("/webhooks/android-sms", (HttpContext http, AndroidSmsChannel android) => WebhookEndpoint.HandleAsync(http, android)).AllowAnonymous();

    // With no provider account the simulator is the channel: loopback callers only, never when Twilio is configured.
    if (!app.Services.GetRequiredService<IOptions<TwilioOptions>>().Value.IsConfigured)
    {
        app.MapPost("/simulator/messages", (HttpContext http, SimulatorChannel simulator) =>
            http.Connection.RemoteIpAddress is { } ip && !IPAddress.IsLoopback(ip)
                ? Results.Text("the simulator answers loopback callers only", statusCode: 403).ExecuteAsync(http)
                : WebhookEndpoint.HandleAsync(http, simulator)).AllowAnonymous();
        // What the outbox sent to a simulated phone since message id `after` (reminders, later case updates).
        app.MapGet("/simulator/messages", async (HttpContext http, Database database, string from, long? after) =>
        {
            if (http.Connection.RemoteIpAddress is { } ip && !IPAddress.IsLoopback(ip)) return Results.StatusCode(403);
            if (IndonesianPhone.ToE164(from) is not { } number) return Results.BadRequest("from must be a phone number");
            await using var connection = await database.OpenAsync(http.RequestAborted);
            var sent = await MessageStore.SentToAsync(connection, ["sim:" + number, "tel:" + number, "whatsapp:" + number], after ?? 0);
            return Results.Json(sent.Select(m => new SimulatorSent(m.Id, m.Body)).ToList(), SimulatorJson.Default.ListSimulatorSent);
        }).AllowAnonymous();
    }

    // The dashboard. Static files (the sign-in page's styles and scripts) are public; everything else needs a signed-in officer.
    app.MapStaticAssets().AllowAnonymous();
    // Our Content-Security-Policy above carries frame-ancestors itself: Blazor's own header would be a second policy.
    app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null);
    app.MapDashboardEndpoints();
    // Hangfire's own dashboard: signed-in users only, checked twice (the endpoint's policy redirects to the sign-in page;
    // Hangfire's filter refuses anyone the policy let through without an identity). Officers may look, not act: deleting
    // or triggering a job (the retention purge, the outbox sweep) is an admin's, and each such action is audited.
    app.UseWhen(http => HttpMethods.IsPost(http.Request.Method) && http.Request.Path.StartsWithSegments("/hangfire", StringComparison.Ordinal),
        hangfire => hangfire.UseMiddleware<HangfireActionAudit>());
    // Its times in Indonesian with a 24-hour clock (its labels have no Indonesian translation).
    HangfireIndonesian.AddOnce();
    app.MapHangfireDashboard("/hangfire", new DashboardOptions
    {
        AppPath = "/",
        DashboardTitle = "HotlineBot · Hangfire",
        Authorization = [new SignedInOfficerFilter()],
        IsReadOnlyFunc = context => !context.GetHttpContext().User.IsInRole(Roles.Admin),
    }).RequireAuthorization();

    app.Lifetime.ApplicationStarted.Register(() => starting = false);
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (StartupProblem.Describe(e) is { } problem)
{
    Console.Error.WriteLine("hotlinebot: " + problem);
    return 1;
}

/// <summary>The entry point, visible to the test host.</summary>
public partial class Program;

internal static partial class FlowWarnings
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Flow check: {Warning}")]
    public static partial void Log(ILogger logger, string warning);
}

/// <summary>Hangfire's dashboard authorization: a signed-in dashboard user (Hangfire's default is local requests only).</summary>
internal sealed class SignedInOfficerFilter : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) => context.GetHttpContext().User.Identity?.IsAuthenticated == true;
}
