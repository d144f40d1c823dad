namespace HotlineBot.Channels.WhatsAppCloud;

/// <summary>The <c>WhatsAppCloud:*</c> settings (DESIGN.md §3).</summary>
public sealed class WhatsAppCloudOptions
{
    public const string Section = "WhatsAppCloud";
    /// <summary>The Meta app's secret: X-Hub-Signature-256 is an HMAC of each webhook body with it.</summary>
    public string? AppSecret { get; set; }
    /// <summary>What Meta echoes in the subscription handshake (<c>hub.verify_token</c>).</summary>
    public string? VerifyToken { get; set; }
    /// <summary>A system-user token for the Graph API.</summary>
    public string? AccessToken { get; set; }
    public string? PhoneNumberId { get; set; }
    public string ApiBaseUrl { get; set; } = "https://graph.facebook.com/v21.0";

    /// <summary>Hosts the Graph API's media URLs may point to (subdomains included): only they get our token.</summary>
    public List<string> MediaHosts { get; set; } = ["fbsbx.com"];

    public bool IsConfigured => !string.IsNullOrEmpty(AppSecret) && !string.IsNullOrEmpty(AccessToken) && !string.IsNullOrEmpty(PhoneNumberId);
}
