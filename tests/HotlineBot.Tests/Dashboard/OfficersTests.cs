using Dapper;
using HotlineBot.Commands;
using HotlineBot.Dashboard;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests.Dashboard;

public sealed class OfficersTests
{
    private HotlineHost _host = null!;
    private Officers Officers => _host.Services.GetRequiredService<Officers>();

    [SetUp]
    public void SetUp() => _host = new HotlineHost();

    [TearDown]
    public void TearDown() => _host.Dispose();

    private async Task<List<(string Actor, string Action, string Subject)>> AuditAsync()
    {
        await using var db = new SqliteConnection($"Data Source={_host.DatabasePath}");
        return (await db.QueryAsync<(string, string, string)>("SELECT actor, action, subject FROM audit_log ORDER BY id")).ToList();
    }

    [Test]
    public async Task SignIn_RightPassword_GivesTheRoleAndIsAudited()
    {
        Assert.That(await Officers.AddAsync("Rina", "Rina Wulandari", Roles.Officer, "sandi-yang-panjang", "test", CancellationToken.None));

        var (result, principal) = await Officers.SignInAsync(" RINA ", "sandi-yang-panjang", CancellationToken.None);

        Assert.That(result, Is.EqualTo(SignInResult.Succeeded));
        Assert.That(principal!.Identity!.Name, Is.EqualTo("rina"));
        Assert.That(principal.IsInRole(Roles.Officer) && !principal.IsInRole(Roles.Admin));
        Assert.That(principal.FindFirst("display_name")!.Value, Is.EqualTo("Rina Wulandari"));
        Assert.That(await AuditAsync(), Does.Contain(("rina", "signed_in", "rina")));
    }

    [Test]
    public async Task Password_IsStoredAsAnIdentityHashOnly()
    {
        await Officers.AddAsync("rina", "", Roles.Officer, "sandi-yang-panjang", "test", CancellationToken.None);
        await using var db = new SqliteConnection($"Data Source={_host.DatabasePath}");
        var hash = await db.QuerySingleAsync<string>("SELECT password_hash FROM users WHERE username = 'rina'");
        Assert.That(hash, Does.Not.Contain("sandi"));
        Assert.That(Convert.FromBase64String(hash)[0], Is.EqualTo(0x01), "Identity's v3 format (PBKDF2)");
    }

    [Test]
    public async Task SignIn_FiveWrongPasswords_LockTheAccountUntilTheLockoutEnds()
    {
        await Officers.AddAsync("rina", "", Roles.Officer, "sandi-yang-panjang", "test", CancellationToken.None);
        for (var i = 1; i <= 4; i++)
            Assert.That((await Officers.SignInAsync("rina", "salah", CancellationToken.None)).Result, Is.EqualTo(SignInResult.Failed), $"attempt {i}");
        Assert.That((await Officers.SignInAsync("rina", "salah", CancellationToken.None)).Result, Is.EqualTo(SignInResult.LockedOut));

        Assert.That((await Officers.SignInAsync("rina", "sandi-yang-panjang", CancellationToken.None)).Result, Is.EqualTo(SignInResult.LockedOut),
            "locked: even the right password is refused");
        _host.Clock.Advance(TimeSpan.FromMinutes(14));
        Assert.That((await Officers.SignInAsync("rina", "sandi-yang-panjang", CancellationToken.None)).Result, Is.EqualTo(SignInResult.LockedOut));
        _host.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.That((await Officers.SignInAsync("rina", "sandi-yang-panjang", CancellationToken.None)).Result, Is.EqualTo(SignInResult.Succeeded));
        Assert.That((await AuditAsync()).Count(a => a.Action == "locked_out"), Is.EqualTo(1));
    }

    [Test]
    public async Task SignIn_AfterALockoutEnds_CountsFailuresAfresh()
    {
        await Officers.AddAsync("rina", "", Roles.Officer, "sandi-yang-panjang", "test", CancellationToken.None);
        for (var i = 0; i < 5; i++) await Officers.SignInAsync("rina", "salah", CancellationToken.None);
        _host.Clock.Advance(TimeSpan.FromMinutes(16));
        Assert.That((await Officers.SignInAsync("rina", "salah", CancellationToken.None)).Result, Is.EqualTo(SignInResult.Failed), "one failure, not a sixth");
    }

    [Test]
    public async Task SignIn_UnknownUser_FailsAndIsAudited()
    {
        Assert.That((await Officers.SignInAsync("siapa", "apa-saja-12345", CancellationToken.None)).Result, Is.EqualTo(SignInResult.Failed));
        Assert.That(await AuditAsync(), Does.Contain(("siapa", "sign_in_failed", "siapa")));
    }

    [Test]
    public async Task StartUp_WithoutUsers_CreatesOneAdmin_AndNotAgainAfterARestart()
    {
        _ = _host.Services;     // starts the service
        await using (var db = new SqliteConnection($"Data Source={_host.DatabasePath}"))
            Assert.That(await db.QueryAsync<(string, string)>("SELECT username, role FROM users"), Is.EqualTo(new[] { ("admin", "admin") }));

        using var restarted = new HotlineHost(directory: _host.Directory);
        _ = restarted.Services;
        await using var again = new SqliteConnection($"Data Source={_host.DatabasePath}");
        Assert.That(await again.ExecuteScalarAsync<long>("SELECT count(*) FROM users"), Is.EqualTo(1));
    }

    [Test]
    public async Task UsersAdd_GeneratesAPasswordThatSignsIn()
    {
        var output = new StringWriter();
        var code = await UsersCommand.RunAsync(["users", "add", "budi", "--role", "admin", "--display", "Budi S"], Officers, TextReader.Null, output, TextWriter.Null);

        Assert.That(code, Is.EqualTo(0));
        var password = output.ToString().Split("Password (shown once): ")[1].Trim();
        var (result, principal) = await Officers.SignInAsync("budi", password, CancellationToken.None);
        Assert.That(result, Is.EqualTo(SignInResult.Succeeded));
        Assert.That(principal!.IsInRole(Roles.Admin));
    }

    [Test]
    public async Task UsersAdd_PasswordFromStdin_DuplicateName_AndBadRole()
    {
        var error = new StringWriter();
        Assert.That(await UsersCommand.RunAsync(["users", "add", "budi", "--password-stdin"], Officers, new StringReader("sandi-dari-stdin\n"), TextWriter.Null, error), Is.EqualTo(0));
        Assert.That((await Officers.SignInAsync("budi", "sandi-dari-stdin", CancellationToken.None)).Result, Is.EqualTo(SignInResult.Succeeded));

        Assert.That(await UsersCommand.RunAsync(["users", "add", "BUDI"], Officers, TextReader.Null, TextWriter.Null, error), Is.EqualTo(1));
        Assert.That(error.ToString(), Does.Contain("already exists"));
        Assert.That(await UsersCommand.RunAsync(["users", "add", "ani", "--role", "root"], Officers, TextReader.Null, TextWriter.Null, error), Is.EqualTo(2));
        Assert.That(await UsersCommand.RunAsync(["users", "add", "ani", "--password-stdin"], Officers, new StringReader("pendek\n"), TextWriter.Null, error), Is.EqualTo(2));
    }

    [Test]
    public async Task ResetPassword_OldOneStopsWorking_NewOneWorks_AndTheLockoutIsLifted()
    {
        await Officers.AddAsync("rina", "", Roles.Officer, "sandi-yang-panjang", "test", CancellationToken.None);
        for (var i = 0; i < 5; i++) await Officers.SignInAsync("rina", "salah", CancellationToken.None);

        var password = await Officers.ResetPasswordAsync("rina", "admin", CancellationToken.None);

        Assert.That(password, Has.Length.EqualTo(16));
        Assert.That((await Officers.SignInAsync("rina", "sandi-yang-panjang", CancellationToken.None)).Result, Is.EqualTo(SignInResult.Failed));
        Assert.That((await Officers.SignInAsync("rina", password!, CancellationToken.None)).Result, Is.EqualTo(SignInResult.Succeeded));
        Assert.That(await Officers.ResetPasswordAsync("nobody", "admin", CancellationToken.None), Is.Null);
        Assert.That(await AuditAsync(), Does.Contain(("admin", "password_reset", "rina")));
    }

    [Test]
    public async Task Sessions_EndWhenTheUserIsDeactivatedOrChangesPassword()
    {
        await Officers.AddAsync("rina", "", Roles.Officer, "sandi-yang-panjang", "test", CancellationToken.None);
        var (_, first) = await Officers.SignInAsync("rina", "sandi-yang-panjang", CancellationToken.None);
        Assert.That(await Officers.IsCurrentAsync(first!, CancellationToken.None));

        Assert.That(await Officers.ChangePasswordAsync("rina", "salah", "sandi-baru-sekali", CancellationToken.None), Is.EqualTo(UserChange.WrongPassword));
        Assert.That(await Officers.ChangePasswordAsync("rina", "sandi-yang-panjang", "pendek", CancellationToken.None), Is.EqualTo(UserChange.TooShort));
        Assert.That(await Officers.ChangePasswordAsync("rina", "sandi-yang-panjang", "sandi-baru-sekali", CancellationToken.None), Is.EqualTo(UserChange.Done));
        Assert.That(await Officers.IsCurrentAsync(first!, CancellationToken.None), Is.False, "the session from before the change");

        var (_, second) = await Officers.SignInAsync("rina", "sandi-baru-sekali", CancellationToken.None);
        Assert.That(await Officers.SetActiveAsync("rina", false, "admin", CancellationToken.None), Is.EqualTo(UserChange.Done));
        Assert.That(await Officers.IsCurrentAsync(second!, CancellationToken.None), Is.False);
        Assert.That((await Officers.SignInAsync("rina", "sandi-baru-sekali", CancellationToken.None)).Result, Is.EqualTo(SignInResult.Failed));
    }

    [Test]
    public async Task Deactivate_NeverOneselfNorTheLastAdmin()
    {
        Assert.That(await Officers.SetActiveAsync("admin", false, "admin", CancellationToken.None), Is.EqualTo(UserChange.NotYourself));
        await Officers.AddAsync("rina", "", Roles.Officer, "sandi-yang-panjang", "test", CancellationToken.None);
        Assert.That(await Officers.SetActiveAsync("admin", false, "rina", CancellationToken.None), Is.EqualTo(UserChange.WouldLeaveNoAdmin));
        await Officers.AddAsync("ani", "", Roles.Admin, "sandi-yang-panjang", "test", CancellationToken.None);
        Assert.That(await Officers.SetActiveAsync("admin", false, "ani", CancellationToken.None), Is.EqualTo(UserChange.Done));
        Assert.That(await Officers.SetActiveAsync("nobody", false, "ani", CancellationToken.None), Is.EqualTo(UserChange.NoSuchUser));
    }
}
