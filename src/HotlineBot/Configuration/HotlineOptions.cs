namespace HotlineBot.Configuration;

/// <summary>The <c>Hotline:*</c> settings (DESIGN.md §3).</summary>
public sealed class HotlineOptions
{
    public const string Section = "Hotline";
    /// <summary>The public https base URL as Twilio calls it; signatures are checked against it when set.</summary>
    public string? PublicBaseUrl { get; set; }
    public string FlowsPath { get; set; } = "conversation-flows";
    /// <summary>The flow a new conversation starts (keyword triggers arrive with the flow language).</summary>
    public string DefaultFlow { get; set; } = "lapor-sakit";
    /// <summary>The office's kabupaten/kota as a Kemendagri code (<c>33.02</c> for Banyumas): addresses are looked for
    /// there first, and only there with typos. Without it, only names with a marker (<c>Ds.</c>, <c>Kec.</c>) resolve.</summary>
    public string? RegencyCode { get; set; }
}
