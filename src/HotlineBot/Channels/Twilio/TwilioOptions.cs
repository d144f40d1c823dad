namespace HotlineBot.Channels.Twilio;

/// <summary>The <c>Twilio:*</c> settings (DESIGN.md §3).</summary>
public sealed class TwilioOptions
{
    public const string Section = "Twilio";
    public string? AccountSid { get; set; }
    public string? AuthToken { get; set; }
    public string? SmsFrom { get; set; }
    public string? WhatsAppFrom { get; set; }
    public string? MessagingServiceSid { get; set; }
    public string ApiBaseUrl { get; set; } = "https://api.twilio.com";
    /// <summary>How long sends stop after Twilio kept failing (the circuit breaker's break).</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Hosts whose media URLs are Twilio's (credentials go only to them; subdomains included).</summary>
    public List<string> MediaHosts { get; set; } = ["api.twilio.com"];

    public bool IsConfigured => !string.IsNullOrEmpty(AccountSid) && !string.IsNullOrEmpty(AuthToken);
}
