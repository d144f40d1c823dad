namespace HotlineBot.Configuration;

/// <summary><c>Hotline:InstanceId</c>: this process's name among the instances sharing one PostgreSQL, stable across its
/// restarts (default: the machine's name). Two instances on one machine need one each; a second start with a name in use
/// is refused. <see cref="Claim"/> is what this run writes on the outbox rows it sends: the name and this boot.</summary>
public sealed class Instance(IConfiguration configuration)
{
    public string Id { get; } = configuration["Hotline:InstanceId"] is { Length: > 0 } id ? id : Environment.MachineName;

    public string Claim { get; } = (configuration["Hotline:InstanceId"] is { Length: > 0 } name ? name : Environment.MachineName) + "/" + Guid.NewGuid().ToString("N");
}
