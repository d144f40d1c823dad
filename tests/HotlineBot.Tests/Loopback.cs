using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace HotlineBot.Tests;

/// <summary>A provider's API played on loopback with real HTTP: a minimal web app on a free port of 127.0.0.1.</summary>
public static class Loopback
{
    public static WebApplication Create()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        return builder.Build();
    }
}
