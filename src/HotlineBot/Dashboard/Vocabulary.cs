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

/// <summary>
/// The dashboard's words: written in Bahasa Indonesia in the pages, the office's language, and read in English from
/// <c>Resources/DashboardEn.resx</c>, where each Indonesian text (with <c>{0}</c>, <c>{1}</c> for its values) is a
/// name. A text without an English entry stays Indonesian (a test holds every text in use to an entry).
/// </summary>
public static class UiText
{
    // Resource names are told apart without regard to case: "Pelapor" (a heading) and "pelapor" (in a sentence) are one
    // entry, and the English takes the Indonesian's first letter's case.
    private static readonly ResourceManager En = new("HotlineBot.Dashboard.Resources.DashboardEn", typeof(UiText).Assembly) { IgnoreCase = true };

    public static string Get(string id, string lang)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (lang != "en" || En.GetString(id, CultureInfo.InvariantCulture) is not { Length: > 0 } en) return id;
        return id.Length > 0 && char.IsLetter(id[0]) && char.IsLetter(en[0]) && char.IsUpper(id[0]) != char.IsUpper(en[0])
            ? (char.IsUpper(id[0]) ? char.ToUpperInvariant(en[0]) : char.ToLowerInvariant(en[0])) + en[1..]
            : en;
    }

    public static string Format(string id, string lang, params object?[] args) => string.Format(CultureInfo.InvariantCulture, Get(id, lang), args);

    /// <summary>Every Indonesian text with its English.</summary>
    public static IReadOnlyDictionary<string, string> All()
    {
        var set = En.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false)!;
        return set.Cast<System.Collections.DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!, StringComparer.Ordinal);
    }
}
