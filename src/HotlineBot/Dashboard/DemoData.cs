using System.Text.RegularExpressions;
using HotlineBot.Storage;

namespace HotlineBot.Dashboard;

/// <summary>
/// A first look for a newcomer (<c>Dashboard:DemoData</c>, on in the README's run command): when the database has no
/// case yet, three citizens report through the simulator and a simulated Puskesmas accepts one — through the real
/// pipeline, so the queue, the message queue and the reports show what the hotline really does. Every demo case is
/// simulated: nothing reaches a real phone.
/// </summary>
public sealed partial class DemoData(SimulatorGate gate, Database database, ILogger<DemoData> logger)
{
    public const string Setting = "Dashboard:DemoData";

    private static readonly (string Phone, string[] Answers)[] Reports =
    [
        ("+6281200001001", ["halo", "Siti Aminah", "3302010101900003", "ds karangrau rt2/3 kec sokaraja", "1", "tidak", "ya"]),
        ("+6281200001002", ["halo", "Pak Darto", "tidak tahu", "sokaraja kulon kec sokaraja", "5,4", "ya"]),
        ("+6281200001003", ["halo", "Mbah Sumi", "3302014107550002", "ds karangrau kec sokaraja", "1", "ya", "ya"]),
    ];

    private const string PuskesmasSokaraja = "+6281100000102";

    /// <summary>Returns the codes of the demo cases made (none when the database already has cases). Once, whatever
    /// the number of instances starting together on one database: the first seeds, the others then find its cases.</summary>
    public Task<IReadOnlyList<string>> SeedAsync(CancellationToken ct) => database.AloneAsync("demo-data", () => SeedOnceAsync(ct), ct);

    private async Task<IReadOnlyList<string>> SeedOnceAsync(CancellationToken ct)
    {
        await using (var connection = await database.OpenAsync(ct))
            if (await CaseStore.AnyAsync(connection)) return [];
        var codes = new List<string>();
        foreach (var (phone, answers) in Reports)
        {
            IReadOnlyList<string> replies = [];
            foreach (var answer in answers) replies = await gate.SendAsync(phone, answer, ct);
            if (replies.Select(r => CaseCode().Match(r)).FirstOrDefault(m => m.Success) is { } code) codes.Add(code.Value);
            else LogNoCase(logger, phone);
        }
        if (codes.Count > 0) await gate.SendAsync(PuskesmasSokaraja, $"TERIMA {codes[0]}", ct);
        return codes;
    }

    [GeneratedRegex(@"\b(\d{4})\b")]
    private static partial Regex CaseCode();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo data: the scripted report from {Phone} made no case (has the flow changed?)")]
    private static partial void LogNoCase(ILogger logger, string phone);
}
