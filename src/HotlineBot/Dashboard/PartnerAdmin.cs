using System.Globalization;
using HotlineBot.Commands;
using HotlineBot.Core.Indonesia.Regions;
using HotlineBot.Core.Routing;
using HotlineBot.Storage;
using YamlDotNet.Serialization;

namespace HotlineBot.Dashboard;

/// <summary>A partner as the dashboard's form edits it: text fields, lists comma-separated.</summary>
public sealed class PartnerForm
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Kind { get; set; } = "volunteer";
    public string Contact { get; set; } = "";
    public string Serves { get; set; } = "";
    public string Areas { get; set; } = "";
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
    public double? RadiusKm { get; set; }
    public bool Active { get; set; } = true;

    public static PartnerForm From(Partner p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new()
        {
            Id = p.Id, Name = p.Name, Kind = p.Kind, Contact = PartnerAdmin.FileContact(p.Contact), Serves = string.Join(", ", p.Serves),
            Areas = string.Join(", ", p.Areas), Latitude = p.Location?.Latitude, Longitude = p.Location?.Longitude, RadiusKm = p.RadiusKm, Active = p.Active,
        };
    }
}

/// <summary>
/// Partner changes from the dashboard (admins only). A form is checked by the partners file's own rules (it is written
/// as a one-partner file and read by <see cref="PartnersFile"/>), so the dashboard cannot save what the file would refuse.
/// The network can be exported as a partners file, to keep dashboard edits across the next import.
/// </summary>
public sealed class PartnerAdmin(Database database, PartnerStore partners, PartnersImport import, LiveUpdates live, TimeProvider time)
{
    private static readonly ISerializer Yaml = new SerializerBuilder().ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull).Build();

    /// <summary>Saves the partner; the errors, when the form breaks a rule of the partners file.</summary>
    public async Task<IReadOnlyList<string>> SaveAsync(PartnerForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var read = PartnersFile.Read(ToYaml([ToEntry(form)]), "form", RegionIndex.Default);
        if (read.Errors.Count > 0) return read.Errors.Select(e => e[(e.IndexOf(": ", StringComparison.Ordinal) + 2)..]).ToList();
        await database.WriteAsync(async tx =>
        {
            await partners.UpsertAsync(tx, read.Partners[0], time.GetUtcNow().ToUnixTimeMilliseconds());
            return 0;
        }, ct);
        live.Publish();
        return [];
    }

    /// <summary>Deactivated partners are never asked again; old cases keep pointing at them.</summary>
    public async Task<bool> SetActiveAsync(string id, bool active, CancellationToken ct)
    {
        var done = await database.WriteAsync(tx => partners.SetActiveAsync(tx, id, active, time.GetUtcNow().ToUnixTimeMilliseconds()), ct);
        live.Publish();
        return done;
    }

    /// <summary>Replaces the network with an uploaded partners file, exactly as <c>partners import</c> does.</summary>
    public async Task<PartnersFile.Result> ImportAsync(string yaml, string fileName, CancellationToken ct)
    {
        var result = await import.ImportTextAsync(yaml, fileName, ct);
        if (result.Errors.Count == 0) live.Publish();
        return result;
    }

    /// <summary>The network as a partners file (DESIGN.md §3), inactive partners with <c>active: false</c>.</summary>
    public async Task<string> ExportAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var all = await PartnerStore.ListAllAsync(connection);
        return ToYaml(all.Select(p => ToEntry(PartnerForm.From(p))).ToList());
    }

    /// <summary>A stored contact as the partners file writes it: <c>tel:+62…</c> → <c>+62…</c>; WhatsApp keeps its prefix.</summary>
    public static string FileContact(string contact) =>
        contact.StartsWith("tel:", StringComparison.Ordinal) ? contact["tel:".Length..] : contact;

    private static Dictionary<string, object?> ToEntry(PartnerForm f)
    {
        static List<string> Split(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var entry = new Dictionary<string, object?>
        {
            ["id"] = f.Id.Trim(), ["name"] = f.Name.Trim(), ["kind"] = f.Kind, ["contact"] = f.Contact.Trim(),
            ["serves"] = Split(f.Serves), ["areas"] = Split(f.Areas),
        };
        if (f.Latitude is { } lat && f.Longitude is { } lon)
            entry["location"] = new Dictionary<string, string> { ["lat"] = lat.ToString(CultureInfo.InvariantCulture), ["lon"] = lon.ToString(CultureInfo.InvariantCulture) };
        if (f.RadiusKm is { } km) entry["radius_km"] = km.ToString(CultureInfo.InvariantCulture);
        if (!f.Active) entry["active"] = "false";
        return entry;
    }

    private static string ToYaml(List<Dictionary<string, object?>> entries) =>
        Yaml.Serialize(new Dictionary<string, object> { ["partners"] = entries });
}
