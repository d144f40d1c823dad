using System.Globalization;
using HotlineBot.Bench;

// The pieces of tools/bench.sh, each its own process on loopback:
//   HotlineBot.Bench load --url URL[,URL…] [--senders N] [--concurrency C] [--rate R] [--run K] [--provider URL]
//       many senders, each sending a whole lapor-sakit report one signed Twilio webhook at a time (Load.cs)
//   HotlineBot.Bench requests --url URL --senders N --run K [--addresses F] --threads T --out PREFIX
//       the same reports written out, signed, a file per wrk thread (tools/wrk-reports.lua)
//   HotlineBot.Bench notifications --provider URL --before "COUNT FIRST LAST" --ended MS --cases N
//       after wrk's load: waits for the partner notifications and reports them as `load --provider` does
//   HotlineBot.Bench bare --port P      a bare Kestrel endpoint of the same HTTP shape: reads the form, answers TwiML
//   HotlineBot.Bench provider --port P  a fake Twilio REST API that accepts every send and counts them
//   HotlineBot.Bench watch --url URL --password-file F --pages N   officers watching N live dashboard pages (Watch.cs)
return args.FirstOrDefault() switch
{
    "load" => await Load.RunAsync(new Arguments(args)),
    "requests" => Load.WriteRequests(new Arguments(args)),
    "notifications" => await Load.NotificationsAsync(new Arguments(args)),
    "bare" => await Endpoints.RunBareAsync(new Arguments(args).Int("--port", 5391)),
    "provider" => await Endpoints.RunProviderAsync(new Arguments(args).Int("--port", 5390)),
    "watch" => await Watch.RunAsync(new Arguments(args)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: HotlineBot.Bench load|requests|notifications|bare|provider|watch [options] (see tools/README.md)");
    return 2;
}

namespace HotlineBot.Bench
{
    internal sealed class Arguments(string[] args)
    {
        public string Get(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }

        public int Int(string name, int fallback) => int.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
    }
}
