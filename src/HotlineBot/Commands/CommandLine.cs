namespace HotlineBot.Commands;

/// <summary>The executable's commands: with none it serves; <c>help</c> (or <c>--help</c>) lists them; an unknown one is
/// refused (exit 2) rather than starting a second server by mistake.</summary>
public static class CommandLine
{
    public static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal) { "migrate", "users", "partners", "chat", "flows", "storage", "help" };

    public const string Usage = """
        HotlineBot — the SMS/WhatsApp hotline's service (design: DESIGN.md; settings: README.md "Configuration").

        usage: HotlineBot [COMMAND] [--urls http://127.0.0.1:5199] [--Key=Value …]

          (no command)                     serve webhooks, background jobs and the dashboard
          migrate                          apply database migrations and exit
          users add NAME [--role officer|admin] [--display "Full Name"] [--password-stdin]
                                           add a dashboard user (a random password is printed once)
          partners import FILE             import a partners file (all or nothing)
          flows check [FOLDER]             check the flow files and exit (1 on errors)
          storage copy --from data/hotline.db --to "Host=…;Database=hotline;…"
                                           move an office from SQLite to an empty PostgreSQL database (every table)
          chat --from 0812… [--url URL]    talk to a running hotline as a citizen or partner (simulator mode)
          help, --help                     this text

        Settings come from appsettings.json in the working directory, environment variables (Twilio__AuthToken) or
        --Key=Value arguments (--Twilio:AuthToken=…).

        """;

    /// <summary>The command word: the first argument that is neither an option nor an option's value.</summary>
    public static string? Command(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith('-')) return arg;
            // `--urls http://…` carries a value; `--urls=…`, `--help` and `-h` do not.
            if (arg.StartsWith("--", StringComparison.Ordinal) && !arg.Contains('=', StringComparison.Ordinal) && arg is not "--help"
                && i + 1 < args.Count && !args[i + 1].StartsWith('-'))
                i++;
        }
        return null;
    }

    public static bool WantsHelp(IReadOnlyList<string> args) => Command(args) == "help" || args.Contains("--help") || args.Contains("-h");
}
