namespace HotlineBot.Core.Sms;

/// <summary>
/// How many SMS a text costs, as Twilio's message-segment-calculator counts them
/// (https://github.com/TwilioDevEd/message-segment-calculator): GSM-7 when every character is in the GSM 03.38
/// tables — 160 septets alone, 153 per part, extension characters cost two — else UCS-2: 70 UTF-16 units alone, 67 per
/// part. One stray curly quote or en dash turns a 160-character message into three.
/// </summary>
public static class SmsSegments
{
    private const string Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private const string Extension = "^{}\\[~]|€\f";

    public static bool IsGsm7(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var c in text)
            if (!Basic.Contains(c, StringComparison.Ordinal) && !Extension.Contains(c, StringComparison.Ordinal)) return false;
        return true;
    }

    public static int Count(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0) return 1;
        if (IsGsm7(text))
        {
            var septets = text.Sum(c => Extension.Contains(c, StringComparison.Ordinal) ? 2 : 1);
            return septets <= 160 ? 1 : (septets + 152) / 153;
        }
        return text.Length <= 70 ? 1 : (text.Length + 66) / 67;
    }
}
