using System.Net;
using Dapper;
using Microsoft.Data.Sqlite;

namespace HotlineBot.Tests.Webhooks;

/// <summary>
/// Correctly signed payloads that are valid JSON or forms but wrong in type, shape or encoding, through the real HTTP
/// pipeline: each gets a 4xx or is acknowledged, never a 5xx; in a batch the bad item is skipped and the good ones are
/// processed. One payload file per class, under <c>testdata/hostile/&lt;provider&gt;/</c>.
/// </summary>
public sealed class HostilePayloadTests
{
    public sealed record PayloadCase(string Label, string Provider, string File, int Status, string[]? Processed = null, string? Timestamp = null)
    {
        public override string ToString() => Label;
    }

    private static readonly PayloadCase[] Cases =
    [
        new("Meta: a JSON array as the root", "whatsapp-cloud", "root_array.json", 400),
        new("Meta: a JSON string as the root", "whatsapp-cloud", "root_string.json", 400),
        new("Meta: entry is an object, not a list", "whatsapp-cloud", "entry_not_a_list.json", 400),
        new("Meta: entry items that are not objects beside a good one", "whatsapp-cloud", "entry_item_number.json", 200, ["wamid.H-ENTRY-GOOD"]),
        new("Meta: change items and values of the wrong type beside a good one", "whatsapp-cloud", "changes_value_array.json", 200, ["wamid.H-CHANGES-GOOD"]),
        new("Meta: \"location\": 1 (the message is taken without it)", "whatsapp-cloud", "location_number.json", 200, ["wamid.H-LOC-NUMBER"]),
        new("Meta: a string longitude", "whatsapp-cloud", "location_string_longitude.json", 200, ["wamid.H-LOC-STRING"]),
        new("Meta: coordinates that overflow a double", "whatsapp-cloud", "location_huge_number.json", 200, ["wamid.H-LOC-HUGE"]),
        new("Meta: text as a string, not an object", "whatsapp-cloud", "text_not_an_object.json", 200, ["wamid.H-TEXT-STRING"]),
        new("Meta: interactive as a number", "whatsapp-cloud", "interactive_number.json", 200, ["wamid.H-INTERACTIVE"]),
        new("Meta: a numeric message id is skipped, the good one processed", "whatsapp-cloud", "id_number.json", 200, ["wamid.H-ID-GOOD"]),
        new("Meta: message items that are not objects beside a good one", "whatsapp-cloud", "message_item_string.json", 200, ["wamid.H-ITEM-GOOD"]),
        new("Meta: an error code as a string", "whatsapp-cloud", "error_code_string.json", 200, []),
        new("Meta: errors that are not objects, a status of the wrong types", "whatsapp-cloud", "errors_not_objects.json", 200, []),
        new("Meta: a lone surrogate escape in one message of a batch", "whatsapp-cloud", "lone_surrogate_in_batch.json", 200, ["wamid.H-SURROGATE-GOOD"]),
        new("Meta: invalid UTF-8 in one message of a batch", "whatsapp-cloud", "invalid_utf8_in_batch.json", 200, ["wamid.H-UTF8-GOOD"]),
        new("Android: a JSON array as the root", "android-sms", "root_array.json", 400),
        new("Android: a number as the root", "android-sms", "root_number.json", 400),
        new("Android: payload is a string", "android-sms", "payload_string.json", 400),
        new("Android: the sender is a number", "android-sms", "sender_number.json", 400),
        new("Android: the message is an object (taken as empty text)", "android-sms", "message_object.json", 200, ["h-a4"]),
        new("Android: the event is a number", "android-sms", "event_number.json", 400),
        new("Android: a lone surrogate escape in the text", "android-sms", "lone_surrogate.json", 400),
        new("Android: invalid UTF-8 in the text", "android-sms", "invalid_utf8.json", 400),
        new("Android: X-Timestamp in milliseconds", "android-sms", "good.json", 400, Timestamp: "1763866800000"),
        new("Android: X-Timestamp past year 9999", "android-sms", "good.json", 400, Timestamp: "99999999999999999"),
        new("Android: a good message still goes through", "android-sms", "good.json", 200, ["h-a8"]),
        new("Twilio: Latitude=NaN (the poison message: taken without a location)", "twilio", "location_nan.txt", 200, ["SMhostile00000000000000000000001"]),
        new("Twilio: infinite coordinates", "twilio", "location_infinity.txt", 200, ["SMhostile00000000000000000000002"]),
        new("Twilio: coordinates out of range", "twilio", "location_out_of_range.txt", 200, ["SMhostile00000000000000000000003"]),
        new("Twilio: NumMedia past Int32", "twilio", "num_media_huge.txt", 200, ["SMhostile00000000000000000000004"]),
        new("Twilio: control characters and an encoded surrogate in the body", "twilio", "body_control_chars.txt", 200, ["SMhostile00000000000000000000005"]),
        new("Twilio: From is not a phone number", "twilio", "from_not_a_phone.txt", 200, ["SMhostile00000000000000000000006"]),
    ];

    private HotlineHost _host = null!;

    [OneTimeSetUp]
    public void Start() => _host = new HotlineHost(SignedRequest.Settings);

    [OneTimeTearDown]
    public void Stop() => _host.Dispose();

    [TestCaseSource(nameof(Cases))]
    public async Task SignedOddPayload_Gets4xxOrIsAcknowledged_AndTheGoodItemsAreProcessed(PayloadCase c)
    {
        var body = await File.ReadAllBytesAsync(RepoFiles.TestData("hostile", c.Provider, c.File));
        using var request = c.Provider switch
        {
            "twilio" => SignedRequest.Twilio("/webhooks/twilio/messages", body),
            "whatsapp-cloud" => SignedRequest.Meta(body),
            _ => SignedRequest.Android(body, c.Timestamp ?? SignedRequest.Seconds(_host.Clock.GetUtcNow())),
        };
        using var client = _host.CreateClient();
        using var response = await client.SendAsync(request);

        Assert.That((int)response.StatusCode, Is.EqualTo(c.Status), await response.Content.ReadAsStringAsync());
        await using var connection = new SqliteConnection($"Data Source={_host.DatabasePath}");
        foreach (var id in c.Processed ?? [])
            Assert.That(await connection.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM messages WHERE direction = 'in' AND provider_message_id = @Id", new { Id = id }), Is.EqualTo(1), id);
        Assert.That(_host.Logs.GetSnapshot().Where(r => r.Level >= Microsoft.Extensions.Logging.LogLevel.Error).Select(r => r.Message), Is.Empty,
            "no errors logged for a sender's bad data");
    }
}
