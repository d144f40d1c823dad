using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HotlineBot.Bench;

/// <summary>The two servers the load runs against besides the hotline: the bare endpoint (the ceiling of this machine
/// for this HTTP shape) and the fake Twilio REST API that receives the partner notifications.</summary>
internal static class Endpoints
{
    private static WebApplication Build(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        return builder.Build();
    }

    /// <summary>The same HTTP shape as the hotline's Twilio webhook without the work: read the form, answer one TwiML
    /// message of a typical reply's length.</summary>
    public static async Task<int> RunBareAsync(int port)
    {
        await using var app = Build(port);
        app.MapPost("/webhooks/twilio/messages", async (HttpContext http) =>
        {
            var form = await http.Request.ReadFormAsync();
            var body = System.Security.SecurityElement.Escape(form["Body"].ToString());
            return Results.Text($"""<?xml version="1.0" encoding="UTF-8"?><Response><Message>Terima kasih, {body}. Siapa nama pasien/warga yang sakit?</Message></Response>""",
                "text/xml; charset=utf-8");
        });
        await app.RunAsync();
        return 0;
    }

    /// <summary>POST /2010-04-01/Accounts/{sid}/Messages.json answers 201 with a message sid; GET /stats answers
    /// "count first_ms last_ms" (Unix milliseconds of the first and the latest send).</summary>
    public static async Task<int> RunProviderAsync(int port)
    {
        await using var app = Build(port);
        long count = 0, first = 0, last = 0;
        var gate = new Lock();
        app.MapPost("/2010-04-01/Accounts/{account}/Messages.json", async (HttpContext http) =>
        {
            await http.Request.ReadFormAsync();
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            long n;
            lock (gate)
            {
                n = ++count;
                if (first == 0) first = now;
                last = now;
            }
            return Results.Text($$"""{"sid":"SM{{n:D32}}","status":"queued"}""", "application/json", statusCode: 201);
        });
        app.MapGet("/stats", () =>
        {
            lock (gate) return string.Create(CultureInfo.InvariantCulture, $"{count} {first} {last}");
        });
        await app.RunAsync();
        return 0;
    }
}
