using System.Globalization;

namespace HotlineBot.Core.Indonesia;

/// <summary>
/// A structurally valid NIK (Nomor Induk Kependudukan): PP RR KK DDMMYY SSSS, women's day + 40.
/// Strict on format, province, date and serial; region codes below the province are only the place of first
/// registration, so they are never used for routing (DESIGN.md §5).
/// </summary>
public sealed record Nik(string Digits, DateOnly BirthDate, bool Female, bool CenturyAmbiguous)
{
    public string ProvinceCode => Digits[..2];

    // Kemendagri 300.2.2-2138/2025 province codes, as in Regions/data/provinces.csv (DESIGN.md §5).
    private static readonly HashSet<string> Provinces =
    [
        "11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "31", "32", "33", "34", "35", "36",
        "51", "52", "53", "61", "62", "63", "64", "65", "71", "72", "73", "74", "75", "76", "81", "82",
        "91", "92", "93", "94", "95", "96",
    ];

    /// <summary>Drops the separators people type (spaces, dots, dashes), reads letter O as zero, and validates.</summary>
    public static NikCheck Check(string input, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(input);
        Span<char> buffer = stackalloc char[32];
        var length = 0;
        foreach (var c in input.Trim())
        {
            if (c is ' ' or '.' or '-' or '\t') continue;
            var digit = c is 'O' or 'o' ? '0' : c;      // letter O typed for zero on a keypad or read off a worn card
            if (!char.IsAsciiDigit(digit)) return NikCheck.Fail(NikError.NotDigits);
            if (length == buffer.Length) return NikCheck.Fail(NikError.Length);
            buffer[length++] = digit;
        }
        if (length != 16) return NikCheck.Fail(NikError.Length);
        var digits = new string(buffer[..length]);

        if (!Provinces.Contains(digits[..2])) return NikCheck.Fail(NikError.Province);
        if (digits[12..] == "0000") return NikCheck.Fail(NikError.Serial);

        var dayField = Two(digits, 6);
        var month = Two(digits, 8);
        var yy = Two(digits, 10);
        var female = dayField > 40;
        var day = female ? dayField - 40 : dayField;
        if (day is < 1 or > 31 || month is < 1 or > 12) return NikCheck.Fail(NikError.Date);

        // 20YY when that date is real and not in the future, else 19YY; ambiguous when 19YY is a plausible age too.
        DateOnly? recent = TryDate(2000 + yy, month, day);
        if (recent > today) recent = null;
        DateOnly? older = TryDate(1900 + yy, month, day);
        var birth = recent ?? older;
        if (birth is null) return NikCheck.Fail(NikError.Date);
        var ambiguous = recent is not null && older is not null && today.Year - older.Value.Year <= 110;
        return NikCheck.Ok(new Nik(digits, birth.Value, female, ambiguous));
    }

    private static int Two(string s, int at) => (s[at] - '0') * 10 + (s[at + 1] - '0');

    private static DateOnly? TryDate(int year, int month, int day) =>
        day <= DateTime.DaysInMonth(year, month) ? new DateOnly(year, month, day) : null;

    public override string ToString() => Masked;

    /// <summary>The display form: first four and last four digits, e.g. <c>3302********0003</c>.</summary>
    public string Masked => Mask(Digits);

    public static string Mask(string digits) =>
        string.Create(CultureInfo.InvariantCulture, $"{digits[..4]}{new string('*', digits.Length - 8)}{digits[^4..]}");
}

public enum NikError { None, NotDigits, Length, Province, Date, Serial }

public readonly record struct NikCheck(Nik? Nik, NikError Error)
{
    public bool IsValid => Nik is not null;
    public static NikCheck Ok(Nik nik) => new(nik, NikError.None);
    public static NikCheck Fail(NikError error) => new(null, error);
}
