using System.Data.Common;
using System.Security.Claims;
using System.Security.Cryptography;
using Dapper;
using HotlineBot.Storage;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace HotlineBot.Dashboard;

/// <summary>The dashboard's roles. An officer runs the queue; an admin also edits partners and users.</summary>
public static class Roles
{
    public const string Officer = "officer";
    public const string Admin = "admin";

    public static bool IsKnown(string role) => role is Officer or Admin;
}

public sealed class OfficerUser
{
    public long Id { get; init; }
    public string Username { get; init; } = "";
    public string DisplayName { get; init; } = "";
    public string Role { get; init; } = Roles.Officer;
    public string PasswordHash { get; init; } = "";
    public long FailedLogins { get; init; }
    public long? LockedUntil { get; init; }
    public string SecurityStamp { get; init; } = "";
    public bool Active { get; init; } = true;
}

public enum UserChange { Done, NoSuchUser, WouldLeaveNoAdmin, NotYourself, WrongPassword, TooShort }

public enum SignInResult { Succeeded, Failed, LockedOut }

public sealed class LockoutOptions
{
    public const string Section = "Dashboard:Lockout";
    public int MaxFailedAttempts { get; set; } = 5;
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>
/// Dashboard users in our database, passwords hashed by ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/>.
/// Repeated failures lock the account for <c>Dashboard:Lockout:Duration</c>; sign-ins, failures and lockouts go to
/// the audit log.
/// </summary>
public sealed class Officers(Database database, AuditLog audit, TimeProvider time, Microsoft.Extensions.Options.IOptions<LockoutOptions> lockout)
{
    private static readonly PasswordHasher<OfficerUser> Hasher = new();

    private const string SqlCount = "SELECT count(*) FROM users";
    private const string SqlFind = """
        SELECT id AS Id, username AS Username, display_name AS DisplayName, role AS Role, password_hash AS PasswordHash,
               failed_logins AS FailedLogins, locked_until AS LockedUntil, security_stamp AS SecurityStamp
        FROM users WHERE username = @Username AND active = 1
        """;
    private const string SqlInsert = """
        INSERT INTO users (username, display_name, role, password_hash, security_stamp, created_at)
        VALUES (@Username, @DisplayName, @Role, @Hash, @Stamp, @Now)
        ON CONFLICT (username) DO NOTHING RETURNING id
        """;
    private const string SqlFailed = "UPDATE users SET failed_logins = failed_logins + 1, locked_until = @LockedUntil WHERE id = @Id";
    private const string SqlSucceeded = "UPDATE users SET failed_logins = 0, locked_until = NULL, password_hash = @Hash WHERE id = @Id";

    /// <summary>A new random password: 16 characters a person can read out over the phone (no 0/O, 1/l).</summary>
    public static string NewPassword()
    {
        const string alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return RandomNumberGenerator.GetString(alphabet, 16);
    }

    public async Task<bool> AnyAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(SqlCount) > 0;
    }

    /// <summary>Adds a user; false when the username is taken.</summary>
    public async Task<bool> AddAsync(string username, string displayName, string role, string password, string actor, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(username);
        ArgumentException.ThrowIfNullOrWhiteSpace(password);
        if (!Roles.IsKnown(role)) throw new ArgumentException($"role must be '{Roles.Officer}' or '{Roles.Admin}'", nameof(role));
        if (password.Length < 10) throw new ArgumentException("a password needs at least 10 characters", nameof(password));
        var name = Normalize(username);
        return await database.WriteAsync(async tx =>
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var id = await tx.Connection!.ExecuteScalarAsync<long?>(SqlInsert,
                new { Username = name, DisplayName = string.IsNullOrWhiteSpace(displayName) ? name : displayName.Trim(), Role = role,
                      Hash = Hasher.HashPassword(new OfficerUser { Username = name }, password), Stamp = NewStamp(), Now = now }, tx);
            if (id is null) return false;
            await audit.WriteAsync(tx, actor, "user_added", name, role, now);
            return true;
        }, ct);
    }

    private const string SqlLockUser = "UPDATE users SET failed_logins = failed_logins WHERE username = @Username";

    /// <summary>Checks a password; on success returns the principal for the cookie.</summary>
    public async Task<(SignInResult Result, ClaimsPrincipal? Principal)> SignInAsync(string username, string password, CancellationToken ct)
    {
        var name = Normalize(username ?? "");
        return await database.WriteAsync(async tx =>
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            // The user's row lock first: parallel guesses count one after another, so five of them lock the account.
            await tx.Connection!.ExecuteAsync(SqlLockUser, new { Username = name }, tx);
            var user = await tx.Connection!.QuerySingleOrDefaultAsync<OfficerUser>(SqlFind, new { Username = name }, tx);
            if (user is null)
            {
                // Same work as a real check, so a wrong username does not answer faster than a wrong password.
                Hasher.VerifyHashedPassword(new OfficerUser(), DummyHash, password ?? "");
                await audit.WriteAsync(tx, name, "sign_in_failed", name, "unknown user", now);
                return (SignInResult.Failed, (ClaimsPrincipal?)null);
            }
            if (user.LockedUntil is { } until && until > now)
            {
                await audit.WriteAsync(tx, name, "sign_in_failed", name, "locked out", now);
                return (SignInResult.LockedOut, null);
            }
            var verdict = Hasher.VerifyHashedPassword(user, user.PasswordHash, password ?? "");
            if (verdict == PasswordVerificationResult.Failed)
            {
                var failures = (user.LockedUntil is { } expired && expired <= now ? 0 : user.FailedLogins) + 1;
                var lockNow = failures >= lockout.Value.MaxFailedAttempts;
                await tx.Connection!.ExecuteAsync(SqlFailed,
                    new { user.Id, LockedUntil = lockNow ? now + (long)lockout.Value.Duration.TotalMilliseconds : (long?)null }, tx);
                if (lockNow) await tx.Connection!.ExecuteAsync("UPDATE users SET failed_logins = 0 WHERE id = @Id", new { user.Id }, tx);
                await audit.WriteAsync(tx, name, lockNow ? "locked_out" : "sign_in_failed", name, $"attempt {failures}", now);
                return (lockNow ? SignInResult.LockedOut : SignInResult.Failed, null);
            }
            var hash = verdict == PasswordVerificationResult.SuccessRehashNeeded ? Hasher.HashPassword(user, password!) : user.PasswordHash;
            await tx.Connection!.ExecuteAsync(SqlSucceeded, new { user.Id, Hash = hash }, tx);
            await audit.WriteAsync(tx, name, "signed_in", name, "", now);
            var identity = new ClaimsIdentity(
                [new Claim(ClaimTypes.Name, user.Username), new Claim("display_name", user.DisplayName), new Claim(ClaimTypes.Role, user.Role),
                 new Claim(StampClaim, user.SecurityStamp)],
                CookieAuthenticationDefaults.AuthenticationScheme);
            return (SignInResult.Succeeded, new ClaimsPrincipal(identity));
        }, ct);
    }

    private static readonly string DummyHash = Hasher.HashPassword(new OfficerUser(), NewPassword());

    /// <summary>The claim carrying the user's security stamp in the cookie and the live session.</summary>
    public const string StampClaim = "security_stamp";

    private static string NewStamp() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    private const string SqlIsCurrent = "SELECT count(*) FROM users WHERE username = @Username AND active = 1 AND security_stamp = @Stamp";

    /// <summary>Is a signed-in session still good: the user active, and nothing reset since it signed in?</summary>
    public async Task<bool> IsCurrentAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.Name is not { } name || user.FindFirst(StampClaim)?.Value is not { Length: > 0 } stamp) return false;
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(SqlIsCurrent, new { Username = name, Stamp = stamp }) == 1;
    }

    private const string SqlList = """
        SELECT id AS Id, username AS Username, display_name AS DisplayName, role AS Role, failed_logins AS FailedLogins,
               locked_until AS LockedUntil, active AS Active
        FROM users ORDER BY active DESC, username
        """;

    public async Task<IReadOnlyList<OfficerUser>> ListAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<OfficerUser>(SqlList)).AsList();
    }

    private const string SqlLockAdmins = "UPDATE users SET active = active WHERE role = 'admin' AND active = 1";
    private const string SqlOtherActiveAdmins = "SELECT count(*) FROM users WHERE role = 'admin' AND active = 1 AND username <> @Username";
    private const string SqlSetActive = "UPDATE users SET active = @Active, security_stamp = @Stamp WHERE username = @Username";

    /// <summary>Deactivates (or reactivates) a user; their sessions end. Never oneself, never the last admin.</summary>
    public Task<UserChange> SetActiveAsync(string username, bool active, string actor, CancellationToken ct) =>
        database.WriteAsync(async tx =>
        {
            var name = Normalize(username);
            if (name == Normalize(actor)) return UserChange.NotYourself;
            // The active admins' rows locked before counting them: two admins deactivating each other at once cannot
            // both see "another admin is left".
            if (!active) await tx.Connection!.ExecuteAsync(SqlLockAdmins, transaction: tx);
            if (!active && await tx.Connection!.ExecuteScalarAsync<long>(SqlOtherActiveAdmins, new { Username = name }, tx) == 0
                && await tx.Connection!.ExecuteScalarAsync<string?>("SELECT role FROM users WHERE username = @Username", new { Username = name }, tx) == Roles.Admin)
                return UserChange.WouldLeaveNoAdmin;
            if (await tx.Connection!.ExecuteAsync(SqlSetActive, new { Username = name, Active = active ? 1 : 0, Stamp = NewStamp() }, tx) == 0) return UserChange.NoSuchUser;
            await audit.WriteAsync(tx, actor, active ? "user_activated" : "user_deactivated", name, "", time.GetUtcNow().ToUnixTimeMilliseconds());
            return UserChange.Done;
        }, ct);

    private const string SqlSetPassword = """
        UPDATE users SET password_hash = @Hash, security_stamp = @Stamp, failed_logins = 0, locked_until = NULL WHERE username = @Username
        """;

    /// <summary>A new random password for a user who lost theirs (shown once to the admin); their sessions end and a
    /// lockout is lifted.</summary>
    public Task<string?> ResetPasswordAsync(string username, string actor, CancellationToken ct) =>
        database.WriteAsync(async tx =>
        {
            var name = Normalize(username);
            var password = NewPassword();
            var hash = Hasher.HashPassword(new OfficerUser { Username = name }, password);
            if (await tx.Connection!.ExecuteAsync(SqlSetPassword, new { Username = name, Hash = hash, Stamp = NewStamp() }, tx) == 0) return null;
            await audit.WriteAsync(tx, actor, "password_reset", name, "", time.GetUtcNow().ToUnixTimeMilliseconds());
            return (string?)password;
        }, ct);

    /// <summary>A user's own new password, after the current one; every session of theirs ends (sign in again).</summary>
    public Task<UserChange> ChangePasswordAsync(string username, string current, string next, CancellationToken ct) =>
        database.WriteAsync(async tx =>
        {
            var name = Normalize(username);
            if ((next ?? "").Length < 10) return UserChange.TooShort;
            var user = await tx.Connection!.QuerySingleOrDefaultAsync<OfficerUser>(SqlFind, new { Username = name }, tx);
            if (user is null) return UserChange.NoSuchUser;
            if (Hasher.VerifyHashedPassword(user, user.PasswordHash, current ?? "") == PasswordVerificationResult.Failed)
            {
                await audit.WriteAsync(tx, name, "password_change_failed", name, "", time.GetUtcNow().ToUnixTimeMilliseconds());
                return UserChange.WrongPassword;
            }
            await tx.Connection!.ExecuteAsync(SqlSetPassword, new { Username = name, Hash = Hasher.HashPassword(user, next!), Stamp = NewStamp() }, tx);
            await audit.WriteAsync(tx, name, "password_changed", name, "", time.GetUtcNow().ToUnixTimeMilliseconds());
            return UserChange.Done;
        }, ct);

    public static string Normalize(string username) => username.Trim().ToLowerInvariant();
}

/// <summary>The audit log: written in the same transaction as what it records.</summary>
public sealed class AuditLog
{
    private const string SqlInsert = """
        INSERT INTO audit_log (actor, action, subject, detail, created_at) VALUES (@Actor, @Action, @Subject, @Detail, @Now)
        """;

    public Task WriteAsync(DbTransaction tx, string actor, string action, string subject, string detail, long now) =>
        tx.Connection!.ExecuteAsync(SqlInsert, new { Actor = actor, Action = action, Subject = subject, Detail = detail, Now = now }, tx);

    public sealed record Entry(long Id, string Actor, string Action, string Subject, string Detail, long CreatedAt);

    private const string SqlWhere = " WHERE (@Subject IS NULL OR subject = @Subject) AND created_at >= @From AND created_at < @To";
    private const string SqlPage = """
        SELECT id AS Id, actor AS Actor, action AS Action, subject AS Subject, detail AS Detail, created_at AS CreatedAt
        FROM audit_log
        """ + SqlWhere + " ORDER BY id DESC LIMIT @Limit OFFSET @Offset";
    private const string SqlCount = "SELECT count(*) FROM audit_log" + SqlWhere;

    /// <summary>A page of entries, newest first, for a subject (a case code, a username) or all, within [from, to).</summary>
    public static async Task<(IReadOnlyList<Entry> Rows, long Total)> PageAsync(DbConnection connection, string? subject, long from, long to, int offset, int limit)
    {
        var args = new { Subject = subject, From = from, To = to, Offset = offset, Limit = limit };
        return ((await connection.QueryAsync<Entry>(SqlPage, args)).AsList(), await connection.ExecuteScalarAsync<long>(SqlCount, args));
    }
}
