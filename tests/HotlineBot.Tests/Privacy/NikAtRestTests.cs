using System.Text;
using HotlineBot.Core.Indonesia;
using Microsoft.Extensions.Logging;

namespace HotlineBot.Tests.Privacy;

/// <summary>DESIGN.md §6: a NIK never lands in plain text — not in the database file, its WAL, nor the logs.</summary>
public sealed class NikAtRestTests
{
    private const string Nik = "3273056010900009";
    private static readonly string[] Report = ["halo", "Siti Aminah", "3273 0560 1090 0009", $"Ds Karangrau RT 2/3 Kec Sokaraja, NIK {Nik}", "2,5", "UBAH", "2", Nik, "ya"];

    private static async Task<HotlineHost> ReportAsync()
    {
        var host = new HotlineHost();
        for (var i = 0; i < Report.Length; i++)
        {
            using var response = await host.PostTwilioAsync("/webhooks/twilio/messages", HotlineHost.SmsForm("+6281234567890", Report[i], $"SM{i:D4}"));
            Assert.That((int)response.StatusCode, Is.EqualTo(200));
        }
        return host;
    }

    private static bool Contains(byte[] haystack, string needle, Encoding encoding) =>
        haystack.AsSpan().IndexOf(encoding.GetBytes(needle)) >= 0;

    [Test]
    public async Task DatabaseFiles_AfterAReport_HoldNoPlaintextNik()
    {
        using var host = await ReportAsync();

        var files = Directory.GetFiles(host.Directory, "hotline.db*");
        Assert.That(files, Has.Some.EndsWith("hotline.db"));
        foreach (var file in files)
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.That(Contains(bytes, Nik, Encoding.UTF8), Is.False, $"{Path.GetFileName(file)} holds the NIK in UTF-8");
            Assert.That(Contains(bytes, Nik, Encoding.Unicode), Is.False, $"{Path.GetFileName(file)} holds the NIK in UTF-16");
            Assert.That(Contains(bytes, "3273 0560 1090 0009", Encoding.UTF8), Is.False, $"{Path.GetFileName(file)} holds the NIK as typed");
        }
    }

    [Test]
    public async Task DatabaseFiles_AfterAReport_HoldTheMaskAndACiphertextThatDecrypts()
    {
        using var host = await ReportAsync();
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={host.DatabasePath}");
        var row = await HotlineBot.Storage.CaseStore.FindByCodeAsync(connection,
            await Dapper.SqlMapper.ExecuteScalarAsync<string>(connection, "SELECT code FROM cases") ?? "");

        Assert.That(row!.NikMasked, Is.EqualTo("3273********0009"));
        var protector = new NikProtector(Convert.FromBase64String(HotlineHost.NikKey));
        Assert.That(protector.Unprotect(row.NikCiphertext!), Is.EqualTo(Nik));
        Assert.That(row.NikIndex, Is.EqualTo(protector.BlindIndex(Nik)));
        Assert.That(row.Address, Does.Not.Contain(Nik).And.Not.Contain("3273"), "a NIK typed into the address is taken out of it");
    }

    [Test]
    public async Task Logs_AtInformationAndAbove_HoldNoNikAndNoMessageBody()
    {
        using var host = await ReportAsync();

        var visible = host.Logs.GetSnapshot().Where(r => r.Level >= LogLevel.Information).ToList();
        var text = string.Join('\n', visible.Select(r => r.Message + " " + string.Join(' ', r.StructuredState?.Select(s => s.Value) ?? [])));

        Assert.That(text, Does.Not.Contain(Nik).And.Not.Contain("3273 0560 1090 0009"));
        Assert.That(text, Does.Not.Contain("Siti Aminah").And.Not.Contain("Karangrau"), "message bodies stay out of the logs");
        Assert.That(host.Logs.GetSnapshot(), Is.Not.Empty, "the collector sees the host's logs at all");
    }
}
