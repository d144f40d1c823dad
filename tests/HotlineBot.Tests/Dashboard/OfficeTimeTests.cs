using HotlineBot.Configuration;
using HotlineBot.Dashboard;
using Microsoft.Extensions.Time.Testing;

namespace HotlineBot.Tests.Dashboard;

/// <summary>Times as the office reads them: its zone's name, Indonesian months, the year only when it is not this one.</summary>
public sealed class OfficeTimeTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 12, 6, 3, 30, 0, TimeSpan.Zero));

    private static long Ms(int year, int month, int day, int hour, int minute) =>
        new DateTimeOffset(year, month, day, hour, minute, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    [TestCase("Asia/Jakarta", "id", "6 Des 10:30 WIB")]
    [TestCase("Asia/Pontianak", "id", "6 Des 10:30 WIB")]
    [TestCase("Asia/Makassar", "id", "6 Des 11:30 WITA")]
    [TestCase("Asia/Jayapura", "id", "6 Des 12:30 WIT")]
    [TestCase("Asia/Jakarta", "en", "6 Dec 10:30 WIB")]
    [TestCase(null, "id", "6 Des 10:30 WIB")]
    public void Format_InTheOfficesZone(string? zone, string lang, string expected) =>
        Assert.That(new OfficeTime(zone, Clock).Format(Ms(2026, 12, 6, 3, 30), lang), Is.EqualTo(expected));

    [Test]
    public void AnotherYear_IsWritten() =>
        Assert.That(new OfficeTime(null, Clock).Format(Ms(2025, 8, 17, 1, 5), "id"), Is.EqualTo("17 Agu 2025 08:05 WIB"));

    [Test]
    public void MidnightUtc_IsTheNextMorningInJakarta_ForTodayAndTheDaysStart()
    {
        var office = new OfficeTime("Asia/Jakarta", new FakeTimeProvider(new DateTimeOffset(2026, 12, 31, 18, 0, 0, TimeSpan.Zero)));
        Assert.That(office.Today, Is.EqualTo(new DateOnly(2027, 1, 1)));
        Assert.That(office.StartOfDay(new DateOnly(2027, 1, 1)), Is.EqualTo(Ms(2026, 12, 31, 17, 0)));
    }

    [Test]
    public void AZoneOutsideIndonesia_IsReadFromTheSystem_AndNamedByItsId() =>
        Assert.That(new OfficeTime("Asia/Singapore", Clock).Format(Ms(2026, 12, 6, 3, 30), "id"), Is.EqualTo("6 Des 11:30 Asia/Singapore"));

    [Test]
    public void NoSuchZone_StopsTheStartWithTheSettingsName() =>
        Assert.That(() => new OfficeTime("Asia/Bandung", Clock), Throws.TypeOf<SettingException>().With.Message.Contains("Hotline:TimeZone"));

    [Test]
    public void EveryMonth_HasAnIndonesianName() =>
        Assert.That(Enumerable.Range(1, 12).Select(m => OfficeTime.MonthName(m, "id")),
            Is.EqualTo(new[] { "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des" }));
}
