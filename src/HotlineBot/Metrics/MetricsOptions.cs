using System.Net;

namespace HotlineBot.Metrics;

/// <summary><c>Metrics:AllowedNetworks</c>: who may read <c>GET /metrics</c>, as CIDR ranges (default: loopback and the
/// private networks, where a Prometheus server of the office would scrape from). Behind a reverse proxy the client's
/// address is the one the proxy forwards, so the public is refused.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    public static readonly IReadOnlyList<string> Defaults =
        ["127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"];

    /// <summary>Null unless set (a configured list replaces the defaults; it is not added to them).</summary>
    public List<string>? AllowedNetworks { get; set; }

    public IReadOnlyList<string> Networks => AllowedNetworks is { Count: > 0 } set ? set : Defaults;

    public bool Allows(IPAddress? address)
    {
        if (address is null) return false;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        foreach (var network in Networks)
            if (IPNetwork.TryParse(network, out var parsed) && parsed.Contains(address)) return true;
        return false;
    }
}
