using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests.Webhooks;

/// <summary>What runs before a webhook's own code: the providers' signatures are its authentication, so the dashboard's
/// sign-in (cookie authentication, policies, antiforgery) is not run for it (Program.cs). WebApplication adds
/// authentication and authorization to the whole pipeline by itself unless the app calls them on its own builder, which
/// is how every webhook came to run them, and every dashboard request twice (tools/README.md).</summary>
public sealed class WebhookPipelineTests
{
    [Test]
    public async Task AWebhook_IsNotAuthenticated_ADashboardRequestIsOnce()
    {
        using var host = new HotlineHost();
        var calls = new List<string>();
        using var counted = host.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
        {
            services.AddScoped<AuthenticationService>();
            services.AddScoped<IAuthenticationService>(sp => new Counted(sp.GetRequiredService<AuthenticationService>(), calls));
        }));
        using var client = counted.CreateClient();

        using var webhook = await client.SendAsync(SignedRequest.Twilio("/webhooks/twilio/messages",
            SignedRequest.FormBody(HotlineHost.SmsForm("+6281200000077", "halo", host.NextSid()))));
        Assert.That(webhook.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await webhook.Content.ReadAsStringAsync(), Does.Contain("<Message>"), "the webhook was answered");
        Assert.That(calls, Is.Empty, "the webhook was run through the dashboard's authentication");

        using var page = await client.GetAsync(new Uri("/login", UriKind.Relative));
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(calls, Is.EqualTo(new[] { "/login" }), "a dashboard request is authenticated, once");
    }

    /// <summary>Counts the requests authenticated: the authentication middleware asks this service.</summary>
    private sealed class Counted(IAuthenticationService inner, List<string> calls) : IAuthenticationService
    {
        public Task<AuthenticateResult> AuthenticateAsync(HttpContext context, string? scheme)
        {
            lock (calls) calls.Add(context.Request.Path);
            return inner.AuthenticateAsync(context, scheme);
        }

        public Task ChallengeAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) => inner.ChallengeAsync(context, scheme, properties);
        public Task ForbidAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) => inner.ForbidAsync(context, scheme, properties);
        public Task SignInAsync(HttpContext context, string? scheme, ClaimsPrincipal principal, AuthenticationProperties? properties) =>
            inner.SignInAsync(context, scheme, principal, properties);
        public Task SignOutAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) => inner.SignOutAsync(context, scheme, properties);
    }
}
