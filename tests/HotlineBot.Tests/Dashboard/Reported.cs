using System.Text.RegularExpressions;

namespace HotlineBot.Tests.Dashboard;

/// <summary>Cases made the way citizens make them: a full report by signed Twilio SMS webhooks.</summary>
internal static partial class Reported
{
    public static Task<string> SmsAsync(HotlineHost host, string from, string text) => host.SmsAsync(from, text);

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
