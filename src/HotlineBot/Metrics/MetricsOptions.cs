using System.Net;

namespace HotlineBot.Metrics;

/// <summary><c>Metrics:AllowedNetworks</c>: who may read <c>GET /metrics</c>, as CIDR ranges. Loopback only by default:
/// a proxy that is not on this host (a Docker bridge, a load balancer in 10/8) would make every public client look
/// private, so an office names its Prometheus server's network itself.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    public static readonly IReadOnlyList<string> Defaults = ["127.0.0.0/8", "::1/128"];

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
