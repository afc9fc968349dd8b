using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BatchMonitor.Core.Storage;

/// <summary>Brings the database to the newest migration. Runs once at start-up, before the engine.</summary>
public sealed class DatabaseMigrator(IDbContextFactory<BatchMonitorDbContext> contexts, ILogger<DatabaseMigrator> logger)
{
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
            logger.LogInformation("Applying {Count} migration(s): {Migrations}", pending.Count, string.Join(", ", pending));
        await db.Database.MigrateAsync(cancellationToken);
    }
}
