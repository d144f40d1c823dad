using System.Globalization;
using System.Resources;

namespace HotlineBot.Dashboard;

/// <summary>
/// What a stored key reads as to an officer — a case status, a message state or kind, an audit action, a partner kind,
/// a role — in Bahasa Indonesia or English, from <c>Resources/VocabularyId.resx</c> and <c>VocabularyEn.resx</c>. Two
/// neutral resource sets rather than a culture's satellite: the process runs with invariant globalization. A key with
/// no label reads as itself (a test holds every key the code stores to a label in both files).
/// </summary>
public static class Vocabulary
{
    private static readonly ResourceManager Id = new("HotlineBot.Dashboard.Resources.VocabularyId", typeof(Vocabulary).Assembly);
    private static readonly ResourceManager En = new("HotlineBot.Dashboard.Resources.VocabularyEn", typeof(Vocabulary).Assembly);

    public static string? Find(string group, string key, string lang) =>
        (lang == "en" ? En : Id).GetString(group + "." + key, CultureInfo.InvariantCulture);

    public static string Label(string group, string key, string lang) => Find(group, key, lang) ?? key;

    /// <summary>Every "group.key" in one language's file.</summary>
    public static IReadOnlyDictionary<string, string> All(string lang)
    {
        var set = (lang == "en" ? En : Id).GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false)!;
        return set.Cast<System.Collections.DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!, StringComparer.Ordinal);
    }
}
