using Microsoft.EntityFrameworkCore;

namespace BatchMonitor.Web.Auth.Store;

/// <summary>
/// A counter the database moves in the transaction of every change that can alter what an API key may do: the key
/// revoked or deleted, its owner disabled or deleted, a role given, taken or renamed. Triggers move it (the
/// AuthChanges migrations), whichever node, page or tool made the change, so a node may trust the keys it has
/// checked for as long as the counter stands still: one row read per request instead of the key, its owner and
/// their roles.
/// </summary>
public static class AuthChanges
{
    /// <summary>The counter now.</summary>
    public static async Task<long> VersionAsync(AuthDbContext db, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "SELECT version FROM auth_changes WHERE id = 1";
            return Convert.ToInt64(await command.ExecuteScalarAsync(ct));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
