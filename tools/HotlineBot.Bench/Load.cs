using System.Diagnostics;
using System.Globalization;
using System.Net;
using HotlineBot.Channels.Twilio;

namespace HotlineBot.Bench;

/// <summary>
/// Load for the Twilio webhook: many senders, each sending a whole <c>lapor-sakit</c> report (greeting, name, NIK,
/// address, needs, emergency answer, confirmation) one message at a time, as people do, all signed like Twilio; bodies
/// are signed before the clock starts. Closed loop (<c>--concurrency</c> senders at once, as fast as answered) or, with
/// <c>--rate</c>, a steady arrival rate whose latency counts from each request's due time (no coordinated omission).
/// With several URLs (instances on one PostgreSQL) each request goes to the next one: no sticky routing; requests are
/// signed for the first URL, which every instance has as its Hotline:PublicBaseUrl. With <c>--provider</c> it waits for
/// the partner notifications to reach the fake Twilio and reports their rate. <c>--addresses</c>: a file of addresses,
/// one a line, the next for each sender; <c>--steps N</c>: only the first N messages of each report (conversations left
/// open). Loopback only.
/// </summary>
internal static class Load
{
    private const string Path = "/webhooks/twilio/messages";
    private static readonly string[] Prefixes = ["811", "812", "813", "821", "822", "852", "853", "857", "858", "877"];

    public static async Task<int> RunAsync(Arguments a)
    {
        var urls = a.Get("--url", "http://127.0.0.1:5299").Split(',').Select(u => u.TrimEnd('/')).ToArray();
        var token = a.Get("--token", "bench-token");
        var senders = a.Int("--senders", 2000);
        var concurrency = a.Int("--concurrency", 64);
        var rate = a.Int("--rate", 0);
        var run = a.Int("--run", 0);
        var steps = a.Int("--steps", 7);
        var provider = a.Get("--provider", "");
        var addresses = a.Get("--addresses", "") is { Length: > 0 } file ? File.ReadAllLines(file) : ["Ds Karangrau RT 2/3 Kec Sokaraja"];
        if (urls.Append(provider.Length > 0 ? provider : urls[0]).Any(u => !new Uri(u).IsLoopback))
        {
            Console.Error.WriteLine("bench: loopback targets only");
            return 2;
        }

        var conversations = Conversations(urls[0], token, senders, run, steps, addresses);

        using var providerHttp = new HttpClient();
        var before = provider.Length > 0 ? await StatsAsync(providerHttp, provider) : default;
        var workers = rate > 0 ? Math.Max(concurrency, 512) : concurrency;
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = workers, PooledConnectionLifetime = Timeout.InfiniteTimeSpan });
        var latencies = new List<double>[workers];
        var statuses = new Dictionary<HttpStatusCode, int>[workers];
        var cases = 0;
        var next = -1;
        var ticket = -1L;
        var turn = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async worker =>
        {
            latencies[worker] = [];
            statuses[worker] = [];
            // A steady load mixes the steps, as real traffic does: the workers start one report's length apart in all,
            // so they are at different steps. Started together, every worker sent its confirmation in the same half
            // second: a wave of hundreds of new cases (and twice as many notifications) every 3.6 s.
            if (rate > 0) await Task.Delay(TimeSpan.FromSeconds((double)worker * steps / rate));
            int sender;
            while ((sender = Interlocked.Increment(ref next)) < senders)
            {
                foreach (var (body, signature) in conversations[sender])
                {
                    var start = Stopwatch.GetTimestamp();
                    if (rate > 0)
                    {
                        // The next slot of the steady rate: wait for it, and count latency from it.
                        var due = TimeSpan.FromSeconds((double)Interlocked.Increment(ref ticket) / rate);
                        if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed);
                        start = Stopwatch.GetTimestamp() - (long)((clock.Elapsed - due).TotalSeconds * Stopwatch.Frequency);
                    }
                    using var content = new ByteArrayContent(body);
                    content.Headers.ContentType = new("application/x-www-form-urlencoded");
                    using var request = new HttpRequestMessage(HttpMethod.Post, urls[Interlocked.Increment(ref turn) % urls.Length] + Path) { Content = content };
                    request.Headers.Add(TwilioChannel.SignatureHeader, signature);
                    using var response = await http.SendAsync(request);
                    var reply = await response.Content.ReadAsStringAsync();
                    latencies[worker].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    statuses[worker][response.StatusCode] = statuses[worker].GetValueOrDefault(response.StatusCode) + 1;
                    if (reply.Contains("Laporan tercatat dgn kode", StringComparison.Ordinal)) Interlocked.Increment(ref cases);
                }
            }
        }));
        clock.Stop();

        var all = latencies.SelectMany(l => l).Order().ToArray();
        double P(double q) => all[Math.Min(all.Length - 1, (int)(q * all.Length))];
        var mode = rate > 0 ? $"steady {rate}/s offered" : $"concurrency {concurrency}";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"requests: {all.Length} in {clock.Elapsed.TotalSeconds:F1} s = {all.Length / clock.Elapsed.TotalSeconds:F0} req/s; latency ms p50 {P(0.50):F1} p90 {P(0.90):F1} p99 {P(0.99):F1} max {all[^1]:F1}; {mode}; cases made {cases}"));
        Console.WriteLine("statuses: " + string.Join(", ", statuses.SelectMany(s => s).GroupBy(s => s.Key).OrderBy(g => g.Key).Select(g => $"{(int)g.Key}={g.Sum(x => x.Value)}")));
        if (provider.Length == 0 || cases == 0) return 0;

        await AwaitNotificationsAsync(providerHttp, provider, before, cases);
        return 0;
    }

    /// <summary>
    /// <c>HotlineBot.Bench notifications --provider URL --before "COUNT FIRST LAST" --ended MS --cases N</c>: after a load
    /// that another program sent (wrk), the partner notifications as <see cref="RunAsync"/> reports them; <c>--before</c>
    /// is what the fake provider's <c>/stats</c> said before the load, <c>--ended</c> when its last answer came (Unix ms).
    /// </summary>
    public static async Task<int> NotificationsAsync(Arguments a)
    {
        var provider = a.Get("--provider", "http://127.0.0.1:5390");
        var before = a.Get("--before", "0 0 0").Split(' ').Select(p => long.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        using var http = new HttpClient();
        var ended = long.Parse(a.Get("--ended", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        await AwaitNotificationsAsync(http, provider, (before[0], before[1], before[2]), a.Int("--cases", 0), ended);
        return 0;
    }

    /// <summary>Waits until the fake provider has stopped receiving (nothing new for 3 s, at most 2 min) and prints the notifications' line.</summary>
    private static async Task AwaitNotificationsAsync(HttpClient providerHttp, string provider, (long Count, long First, long Last) before, int cases, long? endedAt = null)
    {
        var ended = endedAt ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var (count, _, last) = await StatsAsync(providerHttp, provider);
        var quiet = Stopwatch.StartNew();
        var waited = Stopwatch.StartNew();
        while (quiet.Elapsed < TimeSpan.FromSeconds(3) && waited.Elapsed < TimeSpan.FromMinutes(2))
        {
            await Task.Delay(200);
            var now = await StatsAsync(providerHttp, provider);
            if (now.Count != count) quiet.Restart();
            (count, _, last) = now;
        }
        var sent = count - before.Count;
        var firstAfter = before.Count == 0 ? (await StatsAsync(providerHttp, provider)).First : before.Last;
        var seconds = (last - firstAfter) / 1000.0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"notifications: {sent} delivered to the fake provider for {cases} cases; {sent / Math.Max(seconds, 0.001):F0}/s from the first to the last; the last {Math.Max(0, last - ended)} ms after the load ended"));
    }

    /// <summary>Each sender's report as signed form bodies, in order (a body is signed for <paramref name="url"/>).</summary>
    private static (byte[] Body, string Signature)[][] Conversations(string url, string token, int senders, int run, int steps, string[] addresses) =>
        Enumerable.Range(0, senders).Select(s => Report(run, s, addresses[s % addresses.Length]).Take(steps).Select((text, i) =>
        {
            var sid = string.Create(CultureInfo.InvariantCulture, $"SM{run:D4}{s:D8}{i:D2}{DateTime.UtcNow.Ticks:x}");
            List<KeyValuePair<string, string>> form =
            [
                new("MessageSid", sid), new("SmsSid", sid), new("AccountSid", "AC00000000000000000000000000000000"),
                new("From", string.Create(CultureInfo.InvariantCulture, $"+62{Prefixes[run % Prefixes.Length]}{s:D8}")), new("To", "+6281100000000"),
                new("Body", text), new("NumMedia", "0"), new("NumSegments", "1"), new("SmsStatus", "received"), new("ApiVersion", "2010-04-01"),
            ];
            return (Body: new FormUrlEncodedContent(form).ReadAsByteArrayAsync().Result, Signature: TwilioSignature.Compute(token, url + Path, form));
        }).ToArray()).ToArray();

    /// <summary>
    /// The same load written out for wrk (tools/wrk-reports.lua), a file per wrk thread (<c>--threads</c>): sender s goes
    /// to <c>OUT.(s % threads)</c>, a line per message (<c>signature TAB body</c>), each sender's messages in order. The
    /// bodies are form-encoded, so they hold no tab or line break.
    /// </summary>
    public static int WriteRequests(Arguments a)
    {
        var url = a.Get("--url", "http://127.0.0.1:5299").TrimEnd('/');
        var threads = a.Int("--threads", 128);
        var output = a.Get("--out", "requests");
        var addresses = a.Get("--addresses", "") is { Length: > 0 } file ? File.ReadAllLines(file) : ["Ds Karangrau RT 2/3 Kec Sokaraja"];
        var conversations = Conversations(url, a.Get("--token", "bench-token"), a.Int("--senders", 2000), a.Int("--run", 0), a.Int("--steps", 7), addresses);
        for (var t = 0; t < threads; t++)
        {
            using var writer = new StreamWriter(string.Create(CultureInfo.InvariantCulture, $"{output}.{t}"));
            for (var s = t; s < conversations.Length; s += threads)
            {
                foreach (var (body, signature) in conversations[s])
                {
                    writer.Write(signature);
                    writer.Write('\t');
                    writer.Write(System.Text.Encoding.ASCII.GetString(body));
                    writer.Write('\n');
                }
            }
        }
        return 0;
    }

    /// <summary>One sender's whole report; names and NIKs differ per sender and run, so no report is a duplicate.</summary>
    private static string[] Report(int run, int s, string address)
    {
        var name = "Pasien " + string.Concat(s.ToString("D6", CultureInfo.InvariantCulture).Select(d => "abcdefghij"[d - '0'])) + " " + (char)('A' + run % 26);
        var day = 41 + s / 9999 % 28;                                 // a woman's NIK: day of birth + 40
        var nik = string.Create(CultureInfo.InvariantCulture, $"330219{day:D2}09{50 + run % 40:D2}{s % 9999 + 1:D4}");
        return ["halo", name, nik, address, "1,5", "tidak", "ya"];
    }

    private static async Task<(long Count, long First, long Last)> StatsAsync(HttpClient http, string provider)
    {
        var parts = (await http.GetStringAsync(provider.TrimEnd('/') + "/stats")).Split(' ');
        return (long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture));
    }
}
