using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BatchMonitor.Core.Storage;

/// <summary>Brings the database to the newest migration. Runs once at start-up, before the engine.</summary>
public sealed class DatabaseMigrator(IDbContextFactory<BatchMonitorDbContext> contexts, ILogger<DatabaseMigrator> logger)
{
    /// <summary>The advisory lock nodes starting on one PostgreSQL database take in turn (any fixed number no other lock uses).</summary>
    private const long StartLock = 0x42_4D_53_54_41_52_54; // "BMSTART"

    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
            logger.LogInformation("Applying {Count} migration(s): {Migrations}", pending.Count, string.Join(", ", pending));
        await db.Database.MigrateAsync(cancellationToken);
    }

    /// <summary>
    /// Runs a node's start-up writes (the migrations of every store, the first admin) while no other node does: on
    /// PostgreSQL under a session advisory lock, so several nodes started at once on a new database migrate it once, one
    /// after the other, instead of racing to create the same tables. SQLite has one node, and the work simply runs.
    /// </summary>
    public async Task RunAloneAsync(Func<Task> work, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!db.Database.IsNpgsql())
        {
            await work();
            return;
        }
        await db.Database.OpenConnectionAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_lock({StartLock})", cancellationToken);
        try
        {
            await work();
        }
        finally
        {
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({StartLock})", CancellationToken.None);
        }
    }
}
