using System.Collections.Frozen;

namespace HotlineBot.Channels.Twilio;

/// <summary>
/// Twilio error codes and what they mean for a send (each explained at https://www.twilio.com/docs/api/errors/{code};
/// titles from nyaruka/courier's handlers/twiml/errors.json).
/// Codes not listed follow the HTTP status: 429 throttled, 5xx transient, other 4xx permanent.
/// </summary>
public static class TwilioErrors
{
    public static readonly FrozenDictionary<int, SendResult> ByCode = new Dictionary<int, SendResult>
    {
        [20003] = SendResult.Permanent,   // Permission denied: wrong AccountSid/AuthToken
        [20429] = SendResult.Throttled,   // Too many requests: never processed, always safe to retry
        [21211] = SendResult.Permanent,   // Invalid 'To' phone number
        [21408] = SendResult.Permanent,   // Region not enabled (Geo Permissions for Indonesia)
        [21610] = SendResult.OptedOut,    // Recipient replied STOP
        [21611] = SendResult.Throttled,   // 'From' number queue full
        [21612] = SendResult.Permanent,   // 'To' not reachable via SMS
        [21614] = SendResult.Permanent,   // 'To' is not a mobile number
        [21617] = SendResult.Permanent,   // Body over 1600 characters
        [63016] = SendResult.WindowClosed,   // WhatsApp 24-hour window closed: needs a template
        [63018] = SendResult.Throttled,   // WhatsApp sender rate limit
        [63024] = SendResult.Permanent,   // Invalid WhatsApp recipient
    }.ToFrozenDictionary();

    public static SendResult Classify(int httpStatus, int? code) => ProviderHttp.Classify(ByCode, httpStatus, code);
}
