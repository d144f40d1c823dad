namespace HotlineBot.Configuration;

/// <summary><c>Hotline:InstanceId</c>: this process's name among the instances sharing one PostgreSQL, stable across its
/// restarts (default: the machine's name). Two instances on one machine need one each.</summary>
public sealed class Instance(IConfiguration configuration)
{
    public string Id { get; } = configuration["Hotline:InstanceId"] is { Length: > 0 } id ? id : Environment.MachineName;
}
