using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace HotlineBot.Dashboard;

/// <summary>
/// Ends the sessions of a user who was deactivated or whose password was reset or changed: the cookie is checked
/// against the user's security stamp on each dashboard request, and a live page re-checks every minute.
/// </summary>
public static class SessionValidation
{
    public static async Task ValidateCookieAsync(CookieValidatePrincipalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Principal is null) return;
        var officers = context.HttpContext.RequestServices.GetRequiredService<Officers>();
        if (await officers.IsCurrentAsync(context.Principal, context.HttpContext.RequestAborted)) return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }
}

/// <summary>The live (circuit) side: a page open for hours notices a deactivated user within a minute.</summary>
public sealed class RevalidatingOfficerState(ILoggerFactory logs, IServiceScopeFactory scopes)
    : RevalidatingServerAuthenticationStateProvider(logs)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authenticationState);
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Officers>().IsCurrentAsync(authenticationState.User, cancellationToken);
    }
}
