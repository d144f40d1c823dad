using HotlineBot.Core.Indonesia;

namespace HotlineBot.Privacy;

/// <summary>
/// The master key behind NIK encryption and the blind index (<c>Privacy:NikKey</c>, base64, 32 bytes). In Development
/// only, a missing key is generated once and kept in <c>data/nik.key</c>, with a warning: losing it makes every stored
/// NIK unreadable, and a key on the same disk as the database protects little.
/// </summary>
public static partial class NikKey
{
    public const string Setting = "Privacy:NikKey";

    public static byte[] Load(IConfiguration configuration, IHostEnvironment environment, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        if (configuration[Setting] is { Length: > 0 } configured) return Decode(configured, Setting);
        if (!environment.IsDevelopment())
            throw new Configuration.SettingException($"Missing required setting {Setting} (base64 of 32 random bytes).");

        var path = Path.Combine(environment.ContentRootPath, "data", "nik.key");
        if (File.Exists(path)) return Decode(File.ReadAllText(path).Trim(), path);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = NikProtector.NewKey();
        File.WriteAllText(path, Convert.ToBase64String(key));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        LogGenerated(logger, path, Setting);
        return key;
    }

    private static byte[] Decode(string base64, string source)
    {
        byte[] key;
        try { key = Convert.FromBase64String(base64); }
        catch (FormatException e) { throw new Configuration.SettingException($"{source} is not valid base64.", e); }
        return key.Length >= 32 ? key : throw new Configuration.SettingException($"{source} must hold at least 32 bytes.");
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "No NIK key configured: generated one for development in {Path}. Set {Setting} in production.")]
    private static partial void LogGenerated(ILogger logger, string path, string setting);
}
