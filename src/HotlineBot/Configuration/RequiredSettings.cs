namespace HotlineBot.Configuration;

/// <summary>Settings without which the service must not start. Development may run without them (the NIK key is
/// generated, outbound goes to the simulator); Production stops with a message naming each missing key.</summary>
public static class RequiredSettings
{
    private static readonly string[] Production = ["Privacy:NikKey", "Twilio:AccountSid", "Twilio:AuthToken"];
    private static readonly string[] Elsewhere = ["Privacy:NikKey"];

    public static IReadOnlyList<string> Missing(IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        if (environment.IsDevelopment()) return [];
        var required = environment.IsProduction() ? Production : Elsewhere;
        return required.Where(key => string.IsNullOrWhiteSpace(configuration[key])).ToArray();
    }

    public static void Check(IConfiguration configuration, IHostEnvironment environment)
    {
        var missing = Missing(configuration, environment);
        if (missing.Count > 0)
            throw new SettingException(
                $"Missing required setting(s) for the {environment.EnvironmentName} environment: {string.Join(", ", missing)}. " +
                "Set them in appsettings or as environment variables (e.g. Twilio__AuthToken).");
        var provider = configuration["Storage:Provider"] ?? "sqlite";
        if (!provider.Equals("sqlite", StringComparison.OrdinalIgnoreCase) && !provider.Equals("postgres", StringComparison.OrdinalIgnoreCase))
            throw new SettingException($"Storage:Provider '{provider}' is not one of sqlite, postgres (Storage__Provider).");
    }
}
