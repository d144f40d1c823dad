using System.Globalization;

namespace HotlineBot.Tests;

/// <summary>
/// The lapor-sakit report as a load test's sender sends it, one webhook a step: a greeting, the patient's name, no NIK at
/// hand, a village in Sokaraja, need 1, no emergency, and yes. Each report makes one case, routed to the demo partners
/// (deploy/partners.demo.yaml) that serve Sokaraja.
/// </summary>
public static class WholeReport
{
    /// <summary>The texts of one report, in order.</summary>
    public static IReadOnlyList<string> Steps(int sender, int digits = 3) =>
        ["halo", PatientName(sender, digits), "TIDAK TAHU", "ds karangrau rt2/3 kec sokaraja", "1", "TIDAK", "YA"];

    /// <summary>How many webhooks a report takes.</summary>
    public const int Length = 7;

    /// <summary>"Pasien Bcd" for sender 123: the sender's number in letters, since a name takes no digits.</summary>
    public static string PatientName(int sender, int digits = 3) =>
        "Pasien " + string.Concat(sender.ToString("D" + digits, CultureInfo.InvariantCulture).Select(d => "Abcdefghij"[d - '0']));
}
