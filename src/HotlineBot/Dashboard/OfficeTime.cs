using System.Globalization;
using HotlineBot.Configuration;

namespace HotlineBot.Dashboard;

/// <summary>
/// Times as the office reads them: in its own time zone (<c>Hotline:TimeZone</c>, an IANA id, default
/// <c>Asia/Jakarta</c>), labelled WIB, WITA or WIT, with Indonesian month names ("6 Des 14:30 WIB"). Indonesia keeps no
/// daylight saving, so each of its zones is a fixed offset; the process runs with invariant globalization, so month
/// names are ours, not the culture's. Reports count days and months in this zone too.
/// </summary>
public sealed class OfficeTime
{
    public const string Setting = "Hotline:TimeZone";
    public const string DefaultZone = "Asia/Jakarta";

    /// <summary>Indonesia's three zones (Kemendagri's names) by the IANA ids that use them.</summary>
    private static readonly Dictionary<string, (TimeSpan Offset, string Label)> Indonesian = new(StringComparer.Ordinal)
    {
        ["Asia/Jakarta"] = (TimeSpan.FromHours(7), "WIB"),
        ["Asia/Pontianak"] = (TimeSpan.FromHours(7), "WIB"),
        ["Asia/Makassar"] = (TimeSpan.FromHours(8), "WITA"),
        ["Asia/Jayapura"] = (TimeSpan.FromHours(9), "WIT"),
    };

    private static readonly string[] MonthsId = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"];
    private static readonly string[] MonthsEn = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    private readonly TimeZoneInfo? _zone;
    private readonly TimeSpan _offset;
    private readonly TimeProvider _time;

    public OfficeTime(string? zoneId, TimeProvider time)
    {
        _time = time;
        var id = string.IsNullOrWhiteSpace(zoneId) ? DefaultZone : zoneId.Trim();
        ZoneId = id;
        if (Indonesian.TryGetValue(id, out var known))
        {
            (_offset, Label) = (known.Offset, known.Label);
            return;
        }
        try
        {
            _zone = TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new SettingException($"{Setting} '{id}' is not a time zone (use Asia/Jakarta, Asia/Makassar or Asia/Jayapura).");
        }
        Label = id;
    }

    public string ZoneId { get; }

    /// <summary>WIB, WITA, WIT; another zone by its id.</summary>
    public string Label { get; }

    public DateTimeOffset Local(long ms) => Local(DateTimeOffset.FromUnixTimeMilliseconds(ms));

    public DateTimeOffset Local(DateTimeOffset at) => _zone is null ? at.ToOffset(_offset) : TimeZoneInfo.ConvertTime(at, _zone);

    public DateOnly Today => DateOnly.FromDateTime(Local(_time.GetUtcNow()).DateTime);

    /// <summary>The instant a local day starts.</summary>
    public long StartOfDay(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        var offset = _zone?.GetUtcOffset(local) ?? _offset;
        return new DateTimeOffset(local, offset).ToUnixTimeMilliseconds();
    }

    public static string MonthName(int month, string lang) => (lang == "en" ? MonthsEn : MonthsId)[month - 1];

    /// <summary>"6 Des 14:30 WIB"; with the year when it is not this year ("28 Des 2025 09:05 WIB").</summary>
    public string Format(long ms, string lang)
    {
        var t = Local(ms);
        var year = t.Year == Local(_time.GetUtcNow()).Year ? "" : " " + t.Year.ToString(CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture, $"{t.Day} {MonthName(t.Month, lang)}{year} {t:HH:mm} {Label}");
    }

    /// <summary>"Des 2026": a month as reports name it.</summary>
    public static string Month(int year, int month, string lang) => string.Create(CultureInfo.InvariantCulture, $"{MonthName(month, lang)} {year}");

    /// <summary>The local month key ("2026-12") an instant falls in, for grouping.</summary>
    public string MonthKey(long ms) => Local(ms).ToString("yyyy-MM", CultureInfo.InvariantCulture);
}
