using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.RegularExpressions;

namespace HotlineBot.Storage;

/// <summary>
/// A list parameter is written <c>x IN @List</c> (or <c>NOT IN</c>), as Dapper expands it on SQLite. Dapper passes a
/// list to Npgsql as one array instead, which PostgreSQL reads as <c>x = ANY(@List)</c> (<c>&lt;&gt; ALL</c>): the
/// statements that take a list run through <see cref="For"/>, which rewrites them once per statement for PostgreSQL.
/// </summary>
public static partial class ListParameters
{
    private static readonly ConcurrentDictionary<string, string> Postgres = new(StringComparer.Ordinal);

    public static string For(DbConnection connection, string sql) =>
        connection is Npgsql.NpgsqlConnection
            ? Postgres.GetOrAdd(sql, s => In().Replace(NotIn().Replace(s, "<> ALL(@$1)"), "= ANY(@$1)"))
            : sql;

    [GeneratedRegex(@"\bNOT IN @(\w+)")]
    private static partial Regex NotIn();

    [GeneratedRegex(@"\bIN @(\w+)")]
    private static partial Regex In();
}
