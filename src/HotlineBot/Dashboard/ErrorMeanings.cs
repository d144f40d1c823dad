using System.Text.RegularExpressions;

namespace HotlineBot.Dashboard;

/// <summary>A provider's error code, as stored in a message's last error, and what it means for an officer.</summary>
public static partial class ErrorMeanings
{
    private static readonly Dictionary<int, (string Id, string En)> Known = new()
    {
        [20003] = ("kredensial Twilio salah", "wrong Twilio credentials"),
        [20429] = ("terlalu banyak permintaan", "too many requests"),
        [21211] = ("nomor tujuan tidak valid", "invalid 'To' number"),
        [21408] = ("wilayah tidak diizinkan (Geo Permissions)", "region not enabled (Geo Permissions)"),
        [21610] = ("penerima membalas STOP", "recipient replied STOP"),
        [21611] = ("antrian nomor pengirim penuh", "sender queue full"),
        [21612] = ("nomor tidak bisa menerima SMS", "number cannot receive SMS"),
        [21614] = ("bukan nomor HP", "not a mobile number"),
        [21617] = ("pesan terlalu panjang", "message too long"),
        [30003] = ("HP tidak aktif/di luar jangkauan", "handset unreachable"),
        [30005] = ("nomor tidak dikenal", "unknown destination"),
        [30006] = ("nomor rumah/tidak bisa SMS", "landline or unreachable carrier"),
        [30007] = ("diblokir operator (filter)", "carrier filtered"),
        [30008] = ("gagal kirim, sebab tidak diketahui", "unknown delivery error"),
        [63016] = ("jendela 24 jam WhatsApp tertutup", "WhatsApp 24-hour window closed"),
        [63018] = ("batas kecepatan WhatsApp", "WhatsApp rate limit"),
        [63024] = ("penerima WhatsApp tidak valid", "invalid WhatsApp recipient"),
        [131026] = ("tidak terkirim (bukan pengguna WhatsApp?)", "undeliverable (not on WhatsApp?)"),
        [131047] = ("jendela 24 jam WhatsApp tertutup", "WhatsApp 24-hour window closed"),
        [131048] = ("batas spam WhatsApp", "WhatsApp spam rate limit"),
        [131056] = ("terlalu banyak pesan ke satu nomor", "too many messages to one number"),
        [190] = ("token akses Meta kedaluwarsa", "Meta access token expired"),
        [368] = ("diblokir sementara oleh Meta", "temporarily blocked by Meta"),
    };

    /// <summary>The code in "error 63016" or "twilio 400 21211: …", or null.</summary>
    public static int? Code(string? error) =>
        error is not null && ErrorCode().Match(error) is { Success: true } m && int.TryParse(m.Value, out var code) ? code : null;

    public static string? Describe(string? error, string language) =>
        Code(error) is { } code && Known.TryGetValue(code, out var text) ? (language == "en" ? text.En : text.Id) : null;

    [GeneratedRegex(@"(?<![\d.])(?:1\d{5}|[2-9]\d{4}|190|368)(?!\d)")]
    private static partial Regex ErrorCode();
}
