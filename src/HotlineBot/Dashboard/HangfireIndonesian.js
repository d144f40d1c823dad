// Hangfire's dashboard shows times through moment.js in the browser's zone (an office's browsers are in its zone).
// Hangfire ships no Indonesian, and the process's invariant culture would give moment English with a 12-hour clock:
// this gives it Indonesian month and day names, a 24-hour clock and "5 menit yang lalu". Hangfire's own labels stay
// English. Added to Hangfire's script bundle (DashboardRoutes.AddJavaScript), it runs before the page starts.
(function () {
    if (!window.moment || !window.Hangfire || !window.Hangfire.config) return;
    moment.defineLocale("id", {
        months: "Januari_Februari_Maret_April_Mei_Juni_Juli_Agustus_September_Oktober_November_Desember".split("_"),
        monthsShort: "Jan_Feb_Mar_Apr_Mei_Jun_Jul_Agu_Sep_Okt_Nov_Des".split("_"),
        weekdays: "Minggu_Senin_Selasa_Rabu_Kamis_Jumat_Sabtu".split("_"),
        weekdaysShort: "Min_Sen_Sel_Rab_Kam_Jum_Sab".split("_"),
        weekdaysMin: "Mg_Sn_Sl_Rb_Km_Jm_Sb".split("_"),
        longDateFormat: {
            LT: "HH:mm", LTS: "HH:mm:ss", L: "DD/MM/YYYY", LL: "D MMMM YYYY",
            LLL: "D MMMM YYYY HH:mm", LLLL: "dddd, D MMMM YYYY HH:mm",
            l: "D/M/YYYY", ll: "D MMM YYYY", lll: "D MMM YYYY HH:mm", llll: "ddd, D MMM YYYY HH:mm",
        },
        relativeTime: {
            future: "dalam %s", past: "%s yang lalu", s: "beberapa detik", ss: "%d detik", m: "semenit", mm: "%d menit",
            h: "sejam", hh: "%d jam", d: "sehari", dd: "%d hari", M: "sebulan", MM: "%d bulan", y: "setahun", yy: "%d tahun",
        },
        week: { dow: 1, doy: 4 },
    });
    window.Hangfire.config.locale = "id";
})();
