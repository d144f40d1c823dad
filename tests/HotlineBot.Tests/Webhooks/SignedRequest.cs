using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using HotlineBot.Channels.Twilio;

namespace HotlineBot.Tests.Webhooks;

/// <summary>Raw webhook requests signed as each provider signs them, for any body bytes (hostile ones included). The
/// keys are <see cref="Settings"/>, which a test gives its <see cref="HotlineHost"/>.</summary>
public static class SignedRequest
{
    public const string MetaSecret = "meta-app-secret";
    public const string AndroidKey = "k3Y_x9Qa";

    public static Dictionary<string, string?> Settings => new()
    {
        ["WhatsAppCloud:AppSecret"] = MetaSecret, ["WhatsAppCloud:VerifyToken"] = "rahasia", ["WhatsAppCloud:AccessToken"] = "graph-token",
        ["WhatsAppCloud:PhoneNumberId"] = "1234567890", ["WhatsAppCloud:ApiBaseUrl"] = "http://127.0.0.1:9",
        ["AndroidSms:BaseUrl"] = "http://127.0.0.1:9", ["AndroidSms:Username"] = "sms", ["AndroidSms:Password"] = "rahasia", ["AndroidSms:SigningKey"] = AndroidKey,
    };

    /// <summary>A form body signed with Twilio's scheme over the public URL; a body that is not a form is signed as empty.</summary>
    public static HttpRequestMessage Twilio(string path, byte[] body, bool sign = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/x-www-form-urlencoded");
        if (sign)
            request.Headers.TryAddWithoutValidation(TwilioChannel.SignatureHeader,
                TwilioSignature.Compute(HotlineHost.AuthToken, HotlineHost.PublicBaseUrl + path, TwilioChannel.ParseForm(body) ?? []));
        return request;
    }

    public static HttpRequestMessage Meta(byte[] body, bool sign = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/whatsapp") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        if (sign)
            request.Headers.TryAddWithoutValidation("X-Hub-Signature-256",
                "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(MetaSecret), body)));
        return request;
    }

    /// <param name="timestamp">The X-Timestamp header as sent (Unix seconds from the host's clock by default).</param>
    public static HttpRequestMessage Android(byte[] body, string timestamp, bool sign = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/android-sms") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TryAddWithoutValidation("X-Timestamp", timestamp);
        if (sign)
            request.Headers.TryAddWithoutValidation("X-Signature", Convert.ToHexStringLower(
                HMACSHA256.HashData(Encoding.UTF8.GetBytes(AndroidKey), (byte[])[.. body, .. Encoding.ASCII.GetBytes(timestamp)])));
        return request;
    }

    /// <summary>A form body as a provider posts it (<c>application/x-www-form-urlencoded</c>, UTF-8).</summary>
    public static byte[] FormBody(IEnumerable<KeyValuePair<string, string>> form) =>
        Encoding.UTF8.GetBytes(string.Join('&', form.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value))));

    public static string Seconds(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
}
