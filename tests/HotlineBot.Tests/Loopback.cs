using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace HotlineBot.Tests;

/// <summary>A provider's API played on loopback with real HTTP: a minimal web app on a free port of 127.0.0.1.</summary>
public static class Loopback
{
    public static WebApplication Create()
    {
        var builder = WebApplication.CreateSlimBuilder();
        // A line per request would slow the fakes under load and bury the service's own log in a test's output.
        builder.Logging.SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        return builder.Build();
    }
}
