using HotlineBot.Core.Dialogs;

namespace HotlineBot.Core.Routing;

/// <summary>
/// A partner from the partners file (DESIGN.md §3, a contract): who serves which needs where. <see cref="Contact"/> is
/// a contact address as messages use it: <c>tel:+62…</c> for SMS, <c>whatsapp:+62…</c> for WhatsApp.
/// </summary>
public sealed record Partner(
    string Id, string Name, string Kind, string Contact, IReadOnlyList<string> Serves, IReadOnlyList<string> Areas,
    GeoPoint? Location, double? RadiusKm, bool Active = true)
{
    public static readonly IReadOnlyList<string> Kinds = ["dinsos", "puskesmas", "hospital", "ambulance", "volunteer", "zakat", "other"];
}
