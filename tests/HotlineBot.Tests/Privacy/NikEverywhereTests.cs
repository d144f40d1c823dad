using System.Text;
using HotlineBot.Core.Indonesia;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests.Privacy;

/// <summary>Citizens and partners who hide NIKs in every answer, every way people type them: afterwards neither the
/// database files nor the log (at any level) hold one, and no reply, notification or officer message carried one.</summary>
public sealed class NikEverywhereTests
{
    // Valid NIKs (province, date and serial check), one per place they get hidden.
    private static readonly string[] Niks =
        ["3302014506850003", "3302015708450001", "3273056010900009", "3171015708450001", "3302010101900003", "3302014107550002", "3302011708450003"];

    private static string Spaced(string nik, string separator) => string.Join(separator, nik.Chunk(4).Select(c => new string(c)));

    [Test]
    public async Task Reports_HidingNiksInEveryAnswer_LeaveNoneInTheDatabaseOrTheLog()
    {
        using var host = new HotlineHost(new() { ["Routing:OfficerContacts:0"] = "+6281100000999" });
        // In the name, with the NIK step then answered "tidak tahu" (the NIK was taken from the name).
        foreach (var text in new[] { "halo", $"Siti {Niks[0]}", "Siti Aminah", "ds karangrau rt2/3 kec sokaraja", "5", "ya" })
            await host.SmsAsync("+6281266660001", text);
        // In the address, split by no-break spaces; at the needs question, by dashes; at the confirmation, by slashes.
        foreach (var text in new[] { "halo", "Pak Darto", "tidak tahu", $"sokaraja kulon kec sokaraja {Spaced(Niks[1], "\u00A0")}",
                     $"5 nik {Spaced(Niks[2], "-")}", "5", $"ya {Spaced(Niks[3], "/")}", "ya" })
            await host.SmsAsync("+6281266660002", text);
        // Touching a case code, split by a newline, and with the letter O for zero.
        var code = await HotlineBot.Tests.Dashboard.Reported.CaseAsync(host, "+6281266660003", Niks[4]);
        await host.SmsAsync("+6281266660003", $"STATUS {code}{Niks[5]}");
        await host.SmsAsync("+6281266660003", $"nik ibu\n{Niks[6][..10]}\n{Niks[6][10..]}");
        await host.SmsAsync("+6281266660004", $"halo {Niks[4].Replace('0', 'O')}");
        // A partner who puts one into a referral, which the reporter is told about.
        await host.SmsAsync("+6281100000102", $"TERIMA {code}");
        await host.SmsAsync("+6281100000102", $"RUJUK {code} RSUD Margono pasien nik {Niks[6]}");
        await host.RunTimersAsync();

        // SQLite keeps freed pages: a checkpoint and the files as they lie on disk, every byte.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(host.Directory, "hotline.db*"))
        {
            var digits = DigitsOf(Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file)));
            foreach (var nik in Niks) Assert.That(digits, Does.Not.Contain(nik), $"{Path.GetFileName(file)} holds {Nik.Mask(nik)}");
        }
        var log = string.Join('\n', host.Logs.GetSnapshot().Select(r => r.Message + " " + r.State
            + " " + (r.State is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(' ', pairs.Select(p => p.Value)) : "") + " " + r.Exception));
        Assert.That(host.Logs.GetSnapshot(), Is.Not.Empty);
        foreach (var nik in Niks) Assert.That(DigitsOf(log), Does.Not.Contain(nik), $"the log holds {Nik.Mask(nik)}");
    }

    /// <summary>Every digit, in order, with whatever stood between them dropped: a NIK split any way shows up whole.</summary>
    private static string DigitsOf(string text)
    {
        var sb = new StringBuilder(text.Length / 4);
        foreach (var c in text)
            if (char.IsAsciiDigit(c)) sb.Append(c);
            else if (c is 'O') sb.Append('0');
        return sb.ToString();
    }
}
