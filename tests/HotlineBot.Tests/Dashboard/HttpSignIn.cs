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

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
