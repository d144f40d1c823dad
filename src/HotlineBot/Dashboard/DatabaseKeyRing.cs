using System.Xml.Linq;
using Dapper;
using HotlineBot.Storage;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace HotlineBot.Dashboard;

/// <summary>
/// Data Protection's key ring in our database (<c>data_protection_keys</c>), so a sign-in cookie or an antiforgery token
/// made by one instance is read by another, and survives a new machine. Data Protection asks for the keys at start and
/// about once a day, and stores one when it rolls a key: both through its synchronous interface.
/// </summary>
public sealed class DatabaseKeyRing(Database database, TimeProvider time) : IXmlRepository
{
    private const string SqlAll = "SELECT xml FROM data_protection_keys ORDER BY created_at, name";
    private const string SqlStore = """
        INSERT INTO data_protection_keys (name, xml, created_at) VALUES (@Name, @Xml, @Now)
        ON CONFLICT (name) DO UPDATE SET xml = excluded.xml
        """;

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = database.OpenAsync(CancellationToken.None).GetAwaiter().GetResult();
        return connection.Query<string>(SqlAll).Select(XElement.Parse).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        database.WriteAsync(tx => tx.Connection!.ExecuteAsync(SqlStore, new
        {
            Name = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting), Now = time.GetUtcNow().ToUnixTimeMilliseconds(),
        }, tx), CancellationToken.None).GetAwaiter().GetResult();
    }
}
