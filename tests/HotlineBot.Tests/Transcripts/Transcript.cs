using System.Text;

namespace HotlineBot.Tests.Transcripts;

/// <summary>
/// A golden conversation: a header (<c>channel:</c>, <c>from:</c>), then turns (<c>&gt; what the citizen sends</c>
/// followed by <c>&lt; what the bot replies</c>, one line each; a lone <c>&lt;</c> separates two reply messages),
/// then <c>= key: value</c> facts checked in the database afterwards.
/// </summary>
public sealed record Transcript(string Title, string Channel, string From, IReadOnlyList<Turn> Turns, IReadOnlyList<KeyValuePair<string, string>> Facts)
{
    public static Transcript Parse(string text)
    {
        string title = "", channel = "sms", from = "+6281234567890";
        var turns = new List<Turn>();
        var facts = new List<KeyValuePair<string, string>>();
        List<string>? replies = null;
        StringBuilder? current = null;

        void EndReply()
        {
            if (current is not null) replies!.Add(current.ToString());
            current = null;
        }

        foreach (var raw in text.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.StartsWith("# ", StringComparison.Ordinal)) title = line[2..];
            else if (line.StartsWith("channel: ", StringComparison.Ordinal)) channel = line[9..];
            else if (line.StartsWith("from: ", StringComparison.Ordinal)) from = line[6..];
            else if (line.StartsWith("> ", StringComparison.Ordinal) || line == ">")
            {
                EndReply();
                replies = [];
                turns.Add(new Turn(line.Length > 2 ? line[2..] : "", replies));
            }
            else if (line == "<") EndReply();
            else if (line.StartsWith("< ", StringComparison.Ordinal))
            {
                if (current is null) current = new StringBuilder(line[2..]);
                else current.Append('\n').Append(line[2..]);
            }
            else if (line.StartsWith("= ", StringComparison.Ordinal))
            {
                EndReply();
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                facts.Add(new(line[2..colon], line[(colon + 1)..].Trim()));
            }
        }
        EndReply();
        return new Transcript(title, channel, from, turns, facts);
    }

    public string Render()
    {
        var sb = new StringBuilder();
        sb.Append("# ").Append(Title).Append('\n');
        sb.Append("channel: ").Append(Channel).Append('\n');
        sb.Append("from: ").Append(From).Append('\n');
        foreach (var turn in Turns)
        {
            sb.Append('\n').Append("> ").Append(turn.Input).Append('\n');
            for (var i = 0; i < turn.Replies.Count; i++)
            {
                if (i > 0) sb.Append("<\n");
                foreach (var line in turn.Replies[i].Split('\n')) sb.Append("< ").Append(line).Append('\n');
            }
        }
        if (Facts.Count > 0) sb.Append('\n');
        foreach (var (key, value) in Facts) sb.Append("= ").Append(key).Append(": ").Append(value).Append('\n');
        return sb.ToString();
    }
}

public sealed record Turn(string Input, IReadOnlyList<string> Replies);
