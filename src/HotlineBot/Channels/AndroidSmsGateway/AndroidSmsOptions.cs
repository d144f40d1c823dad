namespace HotlineBot.Channels.AndroidSmsGateway;

/// <summary>The <c>AndroidSms:*</c> settings (DESIGN.md §3): SMS Gateway for Android in local mode
/// (<c>http://&lt;phone&gt;:8080</c>) or cloud/private mode (<c>…/3rdparty/v1</c>).</summary>
public sealed class AndroidSmsOptions
{
    public const string Section = "AndroidSms";
    public string? BaseUrl { get; set; }
    public string? Username { get; set; }
    public string? Password { get; set; }
    /// <summary>The app's Settings → Webhooks → Signing Key: X-Signature is an HMAC with it.</summary>
    public string? SigningKey { get; set; }

    public bool IsConfigured => !string.IsNullOrEmpty(BaseUrl) && !string.IsNullOrEmpty(Username) && !string.IsNullOrEmpty(Password);
}
