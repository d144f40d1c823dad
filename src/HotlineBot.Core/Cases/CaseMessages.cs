using System.Globalization;

namespace HotlineBot.Core.Cases;

/// <summary>
/// What partners, reporters and duty officers are told about a case. Written for SMS: plain ASCII, Bahasa Indonesia
/// first, English for contacts who chose it; never a full NIK — the masked form at most, and only to partners asked.
/// </summary>
public static class CaseMessages
{
    private static readonly Dictionary<string, (string Id, string En)> NeedLabels = new()
    {
        ["ambulance"] = ("ambulans", "ambulance"), ["hospital_costs"] = ("biaya RS", "hospital bill"),
        ["insurance"] = ("BPJS/KIS", "BPJS/KIS"), ["documents"] = ("KTP/KK", "ID papers"), ["food"] = ("makanan", "food"),
        ["shelter"] = ("rumah singgah", "shelter"), ["accompaniment"] = ("pendampingan", "companion"),
        ["post_care"] = ("rawat pasca-RS", "after-care"),
    };

    public static string Needs(IEnumerable<string> needs, string language = "id") =>
        string.Join(", ", needs.Select(n => NeedLabels.TryGetValue(n, out var l) ? (language == "en" ? l.En : l.Id) : n));

    private static string L(string language, string id, string en) => language == "en" ? en : id;

    /// <summary>The case, for a partner asked to take it; one SMS where the address allows.</summary>
    public static string PartnerNotification(string code, string patient, string? nikMasked, string address, IEnumerable<string> needs, bool urgent) =>
        string.Create(CultureInfo.InvariantCulture,
            $"KASUS {code}{(urgent ? " DARURAT" : "")}: {patient}{(nikMasked is null ? "" : $", NIK {nikMasked}")}, {address}. Butuh: {Needs(needs)}. Balas TERIMA {code} atau TOLAK {code}");

    public static string PartnerTaken(string code) => $"Kasus {code} sudah diterima mitra lain. Terima kasih, tidak perlu ditindaklanjuti.";

    /// <summary>To partners still asked or working when an officer gives the case to another partner.</summary>
    public static string PartnerReassigned(string code) => $"Kasus {code} dialihkan petugas ke mitra lain. Terima kasih, tidak perlu ditindaklanjuti.";

    /// <summary>To partners still asked or working when an officer closes the case (done, cancelled, a duplicate).</summary>
    public static string PartnerClosed(string code) => $"Kasus {code} sudah ditutup petugas. Terima kasih, tidak perlu ditindaklanjuti.";

    public static string PartnerAcknowledged(string code, Commands.StatusAction action) => action switch
    {
        Commands.StatusAction.Accept => $"Tercatat: Anda menerima kasus {code}. Balas TIBA {code} saat sampai, SELESAI {code} bila tuntas.",
        Commands.StatusAction.Arrive => $"Tercatat: tiba di lokasi kasus {code}. Balas RUJUK {code} <tempat> atau SELESAI {code}.",
        Commands.StatusAction.Refer => $"Tercatat: kasus {code} dirujuk. Balas SELESAI {code} bila tuntas.",
        Commands.StatusAction.Resolve => $"Tercatat: kasus {code} selesai. Terima kasih atas bantuannya.",
        Commands.StatusAction.Decline => $"Tercatat: Anda menolak kasus {code}. Kami teruskan ke mitra lain.",
        _ => "",
    };

    public static string PartnerRefused(string code, string why) => why switch
    {
        "not_assigned" => $"Maaf, kasus {code} tidak ditugaskan kepada Anda.",
        "not_accepted" => $"Kasus {code} belum Anda terima. Balas TERIMA {code} dulu.",
        "closed" => $"Kasus {code} sudah ditutup; status tidak diubah.",
        "already" => $"Status kasus {code} sudah tercatat sebelumnya.",
        _ => $"Perintah untuk kasus {code} tidak bisa diproses.",
    };

    public static string PartnerUnknownCase(string code) => $"Kode kasus {code} tidak ditemukan. Cek lagi kodenya.";

    public static string PartnerWhichCase() => "Anda punya lebih dari satu kasus terbuka. Sertakan kodenya, contoh: TIBA 4821";

    public static string PartnerNoOpenCase() => "Anda tidak punya kasus terbuka. Kode kasus ada di pesan penugasan.";

    public static string ReporterUpdate(string code, string status, string partnerName, string? place, string language) => status switch
    {
        CaseStatus.Accepted => L(language,
            $"Laporan {code}: {partnerName} sudah menerima dan akan menghubungi/menuju pasien.",
            $"Report {code}: {partnerName} has taken it and will contact or visit the patient."),
        CaseStatus.Arrived => L(language,
            $"Laporan {code}: petugas/relawan sudah tiba di lokasi pasien.",
            $"Report {code}: the volunteer has arrived at the patient."),
        CaseStatus.Referred => L(language,
            $"Laporan {code}: pasien dirujuk ke {place}.",
            $"Report {code}: the patient was referred to {place}."),
        CaseStatus.Resolved => L(language,
            $"Laporan {code} sudah selesai ditangani. Terima kasih telah melapor.",
            $"Report {code} has been handled. Thank you for reporting."),
        _ => L(language, $"Laporan {code}: status {status}.", $"Report {code}: status {status}."),
    };

    /// <summary>To the reporter of a case with several needs: what this partner took or handled, and what is still open.</summary>
    /// <param name="done">True for SELESAI (these needs are handled), false for TERIMA (taken).</param>
    /// <param name="open">After TERIMA: the needs still waiting for a partner; after SELESAI: those not yet handled.</param>
    /// <param name="nobody">Needs no partner is left to take: said plainly, never hidden behind "selesai".</param>
    public static string ReporterNeedsUpdate(string code, string partnerName, IReadOnlyList<string> needs, IReadOnlyList<string> open,
        IReadOnlyList<string> nobody, bool done, string language)
    {
        var these = Needs(needs, language);
        var pending = (open.Count == 0 ? "" : done
                ? L(language, $" Masih diproses: {Needs(open, language)}.", $" Still in progress: {Needs(open, language)}.")
                : L(language, $" Masih dicarikan mitra: {Needs(open, language)}.", $" Still finding a partner for: {Needs(open, language)}."))
            + NobodyFor(nobody, language);
        return (done, open.Count) switch
        {
            (false, _) => L(language,
                $"Laporan {code}: {partnerName} sudah menerima ({these}) dan akan menghubungi/menuju pasien.{pending}",
                $"Report {code}: {partnerName} has taken it ({these}) and will contact or visit the patient.{pending}"),
            (true, 0) => L(language,
                $"Laporan {code}: {these} sudah ditangani {partnerName}.{NobodyFor(nobody, language)} Laporan selesai, terima kasih telah melapor.",
                $"Report {code}: {these} handled by {partnerName}.{NobodyFor(nobody, language)} The report is done, thank you for reporting."),
            (true, _) => L(language,
                $"Laporan {code}: {these} sudah ditangani {partnerName}.{pending}",
                $"Report {code}: {these} handled by {partnerName}.{pending}"),
        };
    }

    /// <summary>To the reporter when the last open need was declined with nobody left: what was done, what could not be.</summary>
    public static string ReporterSettled(string code, IReadOnlyList<string> done, IReadOnlyList<string> nobody, string language) =>
        L(language, $"Laporan {code} ditutup: {Needs(done, language)} sudah ditangani.", $"Report {code} closed: {Needs(done, language)} handled.")
            + NobodyFor(nobody, language);

    private static string NobodyFor(IReadOnlyList<string> nobody, string language) => nobody.Count == 0 ? ""
        : L(language, $" Belum ada mitra untuk: {Needs(nobody, language)}.", $" No partner could take: {Needs(nobody, language)}.");

    /// <summary>To the duty officers: a citizen was promised an officer's call (a handoff).</summary>
    public static string HandoffAlert(string code, string where, string? caseUrl = null) =>
        $"HOTLINE: warga perlu dihubungi petugas (laporan {code}, macet di: {where}). Ambil di {caseUrl ?? "dasbor"}.";

    /// <param name="caseUrl">The case's page on the dashboard, when the public address is known: one tap from the SMS.</param>
    public static string OfficerAlert(string code, IEnumerable<string> needs, string reason, string? caseUrl = null) =>
        $"HOTLINE: kasus {code} perlu petugas ({reason}): {Needs(needs)}. Cek {caseUrl ?? "dasbor"}.";
}
