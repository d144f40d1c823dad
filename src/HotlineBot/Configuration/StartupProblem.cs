using Microsoft.Extensions.Options;

namespace HotlineBot.Configuration;

/// <summary>A setting that is missing or wrong: start-up stops with its message, which names the setting and how to set it.</summary>
public sealed class SettingException(string message, Exception? inner = null) : InvalidOperationException(message, inner);

/// <summary>
/// What an office can fix without a developer — a missing or invalid setting, a broken flow or partners file, a port
/// already taken — said in a line or a few that name it, instead of a stack trace. Anything else is a bug and keeps its
/// stack trace.
/// </summary>
public static class StartupProblem
{
    public static string? Describe(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SettingException setting:
                    return setting.Message;
                case OptionsValidationException invalid:
                    return "Invalid setting: " + string.Join("; ", invalid.Failures) + " (appsettings.json, or an environment variable such as Channels__FallbackAfterAttempts).";
                case Core.Dialogs.FlowException flows:
                    return "The flow files (Hotline:FlowsPath) have errors; `-- flows check` lists them too:\n" + flows.Message;
                case IOException io when io.InnerException?.GetType().Name == "AddressInUseException" || io.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase):
                    return $"{io.Message.TrimEnd('.')}: another program uses that port. Choose another with --urls http://127.0.0.1:PORT (or ASPNETCORE_URLS).";
            }
        }
        return null;
    }
}
