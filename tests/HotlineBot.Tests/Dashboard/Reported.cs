using System.Net;
using System.Text.RegularExpressions;

namespace HotlineBot.Tests.Dashboard;

/// <summary>Cases made the way citizens make them: a full report by signed Twilio SMS webhooks.</summary>
internal static partial class Reported
{
    private static int _sid;

    public static async Task<string> SmsAsync(HotlineHost host, string from, string text)
    {
        using var response = await host.PostTwilioAsync("/webhooks/twilio/messages",
            HotlineHost.SmsForm(from, text, $"SM{Interlocked.Increment(ref _sid):D32}"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Siti Aminah, NIK <paramref name="nik"/>, in Karangrau (Kec. Sokaraja), needing an ambulance; returns the case code.</summary>
    public static async Task<string> CaseAsync(HotlineHost host, string reporter, string nik = "3273056010900009")
    {
        var last = "";
        foreach (var text in new[] { "halo", "Siti Aminah", nik, "ds karangrau rt2/3 kec sokaraja", "1", "tidak", "ya" })
            last = await SmsAsync(host, reporter, text);
        var code = CaseCode().Match(last).Value;
        Assert.That(code, Is.Not.Empty, last);
        return code;
    }

    [GeneratedRegex(@"\b\d{4}\b")]
    private static partial Regex CaseCode();
}
