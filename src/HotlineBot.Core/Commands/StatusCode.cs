using System.Text.RegularExpressions;


namespace HotlineBot.Core.Commands;

/// <summary>What a partner's status message asks for (DESIGN.md §3, a contract).</summary>
public enum StatusAction { Accept, Arrive, Refer, Resolve, Decline, Info }

/// <summary>
/// A volunteer's status message: <c>TERIMA 4821</c>, <c>4821 tiba</c>, <c>#4821 RUJUK RSUD Banyumas</c>, <c>3 4821 RSUD</c>,
/// <c>TOLAK 4821 sedang di luar kota</c>, <c>SELESAI</c>. Words are case-insensitive, digits stand for words (1 TERIMA,
/// 2 TIBA, 3 RUJUK, 4 SELESAI, 0 TOLAK), the case code may come before or after the word or be left out (then the
/// partner's only open case is meant), and extra spaces and <c>#</c> are tolerated.
/// </summary>
public sealed partial record StatusCode(StatusAction Action, string? CaseCode, string Argument)
{
    private static readonly Dictionary<string, StatusAction> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        ["terima"] = StatusAction.Accept, ["1"] = StatusAction.Accept,
        ["tiba"] = StatusAction.Arrive, ["2"] = StatusAction.Arrive,
        ["rujuk"] = StatusAction.Refer, ["3"] = StatusAction.Refer,
        ["selesai"] = StatusAction.Resolve, ["4"] = StatusAction.Resolve,
        ["tolak"] = StatusAction.Decline, ["0"] = StatusAction.Decline,
        ["info"] = StatusAction.Info,
    };

    [GeneratedRegex(@"[\s#:,.]+")]
    private static partial Regex Separators();

    /// <summary>The status code the message is, or null when it is not one (then it is an ordinary message).</summary>
    public static StatusCode? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = Separators().Split(text.Trim()).Where(t => t.Length > 0).ToList();
        if (tokens.Count == 0) return null;

        // The word is the first or second token; a case code may stand on the other side of it.
        string? code = null;
        var at = 0;
        if (tokens.Count > 1 && Cases.CaseCode.IsWellFormed(tokens[0]) && Words.ContainsKey(tokens[1]))
        {
            code = tokens[0];
            at = 1;
        }
        if (!Words.TryGetValue(tokens[at], out var action)) return null;
        var rest = tokens.Skip(at + 1).ToList();
        if (code is null && rest.Count > 0 && Cases.CaseCode.IsWellFormed(rest[0]))
        {
            code = rest[0];
            rest.RemoveAt(0);
        }
        // A bare digit followed by free words ("2 ok") is not a command; words are (RUJUK takes a place, TOLAK a reason).
        if (char.IsAsciiDigit(tokens[at][0]) && code is null && rest.Count > 0) return null;
        if (action is StatusAction.Arrive or StatusAction.Resolve or StatusAction.Accept or StatusAction.Info && rest.Count > 3) return null;
        return new StatusCode(action, code, string.Join(' ', rest));
    }
}
