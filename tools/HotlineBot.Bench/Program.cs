using System.Diagnostics;
using System.Globalization;
using System.Net;
using HotlineBot.Channels.Twilio;

// Load for the Twilio webhook of a running hotline: many senders, each sending a whole report one message at a time
// (as people do), all signed like Twilio. Bodies are signed before the clock starts. Loopback targets only.
//   bench [--url http://127.0.0.1:5199[,http://127.0.0.1:5200…]] [--token bench-token] [--senders 2000] [--concurrency 64]
// With several URLs (instances on one PostgreSQL) each request goes to the next one: no sticky routing. Requests are
// signed for the first URL, which every instance is given as its Hotline:PublicBaseUrl.
var urls = Arg("--url", "http://127.0.0.1:5199").Split(',').Select(u => u.TrimEnd('/')).ToArray();
var url = urls[0];
var token = Arg("--token", "bench-token");
var senders = int.Parse(Arg("--senders", "2000"), CultureInfo.InvariantCulture);
var concurrency = int.Parse(Arg("--concurrency", "64"), CultureInfo.InvariantCulture);
if (urls.Any(u => !new Uri(u).IsLoopback)) { Console.Error.WriteLine("bench: loopback targets only"); return 2; }

string[] report = ["halo", "Siti Aminah", "3273056010900009", "Ds Karangrau RT 2/3 Kec Sokaraja", "1,5", "ya"];
const string path = "/webhooks/twilio/messages";
var run = DateTime.UtcNow.Ticks.ToString("x", CultureInfo.InvariantCulture);
var conversations = Enumerable.Range(0, senders).Select(s => report.Select((text, i) =>
{
    var sid = $"SM{run}{s:D6}{i:D2}";
    List<KeyValuePair<string, string>> form =
    [
        new("MessageSid", sid), new("SmsSid", sid), new("AccountSid", "AC00000000000000000000000000000000"),
        new("From", $"+62813{s:D8}"), new("To", "+6281100000000"), new("Body", text), new("NumMedia", "0"),
        new("NumSegments", "1"), new("SmsStatus", "received"), new("ApiVersion", "2010-04-01"), new("ToCity", ""),
    ];
    return (Body: new FormUrlEncodedContent(form).ReadAsByteArrayAsync().Result, Signature: TwilioSignature.Compute(token, url + path, form));
}).ToArray()).ToArray();

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency });
var turn = 0;
var latencies = new List<double>[concurrency];
var statuses = new Dictionary<HttpStatusCode, int>[concurrency];
var next = -1;
var clock = Stopwatch.StartNew();
await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
{
    latencies[worker] = [];
    statuses[worker] = [];
    int sender;
    while ((sender = Interlocked.Increment(ref next)) < senders)
    {
        foreach (var (body, signature) in conversations[sender])
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new("application/x-www-form-urlencoded");
            using var request = new HttpRequestMessage(HttpMethod.Post, urls[Interlocked.Increment(ref turn) % urls.Length] + path) { Content = content };
            request.Headers.Add(TwilioChannel.SignatureHeader, signature);
            var start = Stopwatch.GetTimestamp();
            using var response = await http.SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
            latencies[worker].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            statuses[worker][response.StatusCode] = statuses[worker].GetValueOrDefault(response.StatusCode) + 1;
        }
    }
}));
clock.Stop();

var all = latencies.SelectMany(l => l).Order().ToArray();
double P(double q) => all[Math.Min(all.Length - 1, (int)(q * all.Length))];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"requests: {all.Length} in {clock.Elapsed.TotalSeconds:F1} s = {all.Length / clock.Elapsed.TotalSeconds:F0} req/s; " +
    $"latency ms p50 {P(0.50):F1} p90 {P(0.90):F1} p99 {P(0.99):F1} max {all[^1]:F1}; concurrency {concurrency}"));
Console.WriteLine("statuses: " + string.Join(", ", statuses.SelectMany(s => s).GroupBy(s => s.Key).Select(g => $"{(int)g.Key}={g.Sum(x => x.Value)}")));
return 0;

string Arg(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
