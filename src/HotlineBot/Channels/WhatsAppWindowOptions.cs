namespace HotlineBot.Channels;

/// <summary>
/// <c>WhatsApp:*</c>: what to do with a WhatsApp message outside the 24-hour customer-service window, when only an
/// approved template may be sent (DESIGN.md §3, "Provider facts"). <see cref="Templates"/> maps a message kind
/// (<c>reporter_update</c>, <c>partner_notification</c>, <c>officer_alert</c>, <c>reminder</c>) to a template — a
/// Twilio ContentSid (<c>HX…</c>) or a Meta template name — whose one body variable is the message text. A kind
/// without a template goes by SMS to the same number when <see cref="SmsFallback"/> is on, and is otherwise left failed
/// for the duty officers. Never free text outside the window.
/// </summary>
public sealed class WhatsAppWindowOptions
{
    public const string Section = "WhatsApp";
    public Dictionary<string, string> Templates { get; set; } = new(StringComparer.Ordinal);
    public bool SmsFallback { get; set; } = true;
    /// <summary>The Meta template language code.</summary>
    public string TemplateLanguage { get; set; } = "id";
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);
}
