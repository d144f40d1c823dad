using HotlineBot.Dashboard;

namespace HotlineBot.Commands;

/// <summary>
/// <c>users add NAME [--role officer|admin] [--display "Full Name"] [--password-stdin]</c>: a dashboard user. Without
/// <c>--password-stdin</c> a random password is generated and printed once.
/// </summary>
public static class UsersCommand
{
    public static async Task<int> RunAsync(string[] args, Officers officers, TextReader input, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(officers);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var rest = args.SkipWhile(a => a != "users").Skip(1).ToList();
        string? Option(string name) => rest.IndexOf(name) is var i and >= 0 && i + 1 < rest.Count ? rest[i + 1] : null;
        if (rest.Count < 2 || rest[0] != "add" || rest[1].StartsWith('-'))
        {
            await error.WriteLineAsync("usage: users add NAME [--role officer|admin] [--display \"Full Name\"] [--password-stdin]");
            return 2;
        }
        var role = Option("--role") ?? Roles.Officer;
        if (!Roles.IsKnown(role))
        {
            await error.WriteLineAsync($"--role must be '{Roles.Officer}' or '{Roles.Admin}'");
            return 2;
        }
        var generated = !rest.Contains("--password-stdin");
        var password = generated ? Officers.NewPassword() : (await input.ReadLineAsync())?.Trim() ?? "";
        if (password.Length < 10)
        {
            await error.WriteLineAsync("a password needs at least 10 characters");
            return 2;
        }
        if (!await officers.AddAsync(rest[1], Option("--display") ?? rest[1], role, password, "cli", CancellationToken.None))
        {
            await error.WriteLineAsync($"user '{Officers.Normalize(rest[1])}' already exists");
            return 1;
        }
        await output.WriteLineAsync($"Added {role} '{Officers.Normalize(rest[1])}'.");
        if (generated) await output.WriteLineAsync($"Password (shown once): {password}");
        return 0;
    }

    /// <summary>At start-up with no user at all: an admin with a random password, printed once to the console.</summary>
    /// <summary>With no user at all, creates <c>admin</c> with a random password, handed to <paramref name="keep"/>
    /// (which prints or stores the banner) before the user exists: if keeping it fails, no admin is left whose password
    /// nobody has. False when there was a user already.</summary>
    public static async Task<bool> EnsureFirstAdminAsync(Officers officers, Func<string, Task> keep, Func<Task> forget, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(officers);
        ArgumentNullException.ThrowIfNull(keep);
        ArgumentNullException.ThrowIfNull(forget);
        if (await officers.AnyAsync(ct)) return false;
        var password = Officers.NewPassword();
        await keep("""

            ================================================================
             No dashboard user existed: created user 'admin' (role admin).
            """ + $"\n Password (shown once; keep it safe): {password}\n" +
            " Add officers with: dotnet run --project src/HotlineBot -- users add NAME\n" +
            "================================================================\n");
        if (await officers.AddAsync("admin", "Admin", Roles.Admin, password, "startup", ct)) return true;
        await forget();     // another start made the first user meanwhile
        return false;
    }
}
