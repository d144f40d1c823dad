using HotlineBot.Core.Indonesia.Regions;
using HotlineBot.Core.Routing;
using HotlineBot.Storage;

namespace HotlineBot.Commands;

/// <summary>
/// Loads a partners file into the database: at start-up from <c>Hotline:PartnersFile</c>, and by
/// <c>partners import FILE</c>. A file with any error is refused whole, with every error printed by line.
/// </summary>
public sealed class PartnersImport(Database database, PartnerStore partners, TimeProvider time)
{
    public async Task<PartnersFile.Result> ImportAsync(string path, CancellationToken ct)
    {
        if (!File.Exists(path)) return new PartnersFile.Result([], [$"{path}: no such file (setting Hotline:PartnersFile)"]);
        return await ImportTextAsync(await File.ReadAllTextAsync(path, ct), path, ct);
    }

    /// <summary>The same, for a file's text (the dashboard's upload): all of it or, on any error, nothing.</summary>
    public async Task<PartnersFile.Result> ImportTextAsync(string yaml, string source, CancellationToken ct)
    {
        var result = PartnersFile.Read(yaml, source, RegionIndex.Default);
        if (result.Errors.Count > 0) return result;
        await database.WriteAsync(async tx =>
        {
            await partners.ReplaceAllAsync(tx, result.Partners, time.GetUtcNow().ToUnixTimeMilliseconds());
            return 0;
        }, ct);
        return result;
    }
}
