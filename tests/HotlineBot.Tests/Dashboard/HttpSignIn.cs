using System.Text.RegularExpressions;

namespace HotlineBot.Tests.Dashboard;

/// <summary>Signing in over plain HTTP, as a browser's form post does: the antiforgery token from the page, then the form.</summary>
internal static partial class HttpSignIn
{
    public static async Task<string> TokenAsync(HttpClient client, string page) =>
        TokenField().Match(await client.GetStringAsync(new Uri(page, UriKind.Relative))).Groups[1].Value;

    public static FormUrlEncodedContent Form(string token, string username, string password, string returnUrl = "") => new(new Dictionary<string, string>
    {
        ["_handler"] = "login", ["__RequestVerificationToken"] = token, ["Input.Username"] = username, ["Input.Password"] = password,
        ["Input.ReturnUrl"] = returnUrl,
    });

    public static async Task SignInAsync(HttpClient client, string username, string password)
    {
        using var response = await client.PostAsync(new Uri("/login", UriKind.Relative), Form(await TokenAsync(client, "/login"), username, password));
        Assert.That((int)response.StatusCode, Is.EqualTo(302), "signed in");
    }

    /// <summary>A page as a new officer (not an admin) sees it, server-rendered.</summary>
    public static async Task<string> GetAsOfficerAsync(HotlineHost host, string page)
    {
        var name = "petugas" + Guid.NewGuid().ToString("N")[..8];
        const string password = "kata-sandi-panjang-1";
        await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<HotlineBot.Dashboard.Officers>(host.Services)
            .AddAsync(name, "Petugas", HotlineBot.Dashboard.Roles.Officer, password, "test", CancellationToken.None);
        using var client = host.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await SignInAsync(client, name, password);
        return await client.GetStringAsync(new Uri(page, UriKind.Relative));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
