using System.Collections.Frozen;

namespace HotlineBot.Channels.WhatsAppCloud;

/// <summary>
/// Graph API error codes and what they mean for a send
/// (https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes; the throttling codes
/// are nyaruka/courier's WACThrottlingErrorCodes).
/// Codes not listed follow the HTTP status: 429 throttled, 5xx transient, other 4xx permanent.
/// </summary>
public static class WhatsAppCloudErrors
{
    public static readonly FrozenDictionary<int, SendResult> ByCode = new Dictionary<int, SendResult>
    {
        [4] = SendResult.Throttled,        // application request limit
        [613] = SendResult.Throttled,      // calls exceeded the rate limit
        [80007] = SendResult.Throttled,    // WhatsApp Business Account rate limit
        [130429] = SendResult.Throttled,   // Cloud API throughput reached
        [131048] = SendResult.Throttled,   // spam rate limit
        [131056] = SendResult.Throttled,   // pair rate limit: too many to one user
        [133016] = SendResult.Throttled,   // registration rate limit
        [131053] = SendResult.Transient,   // media upload error
        [131047] = SendResult.WindowClosed,   // more than 24 hours since the user wrote: needs a template
        [131026] = SendResult.Permanent,   // undeliverable (not on WhatsApp, old app)
        [368] = SendResult.Permanent,      // temporarily blocked for policy violations
        [190] = SendResult.Permanent,      // access token expired or invalid
    }.ToFrozenDictionary();

    public static SendResult Classify(int httpStatus, int? code) => ProviderHttp.Classify(ByCode, httpStatus, code);
}
