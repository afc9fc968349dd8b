using BatchMonitor.Core.Storage;
using BatchMonitor.Tests.Storage;
using BatchMonitor.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace BatchMonitor.Tests.Postgres;

/// <summary>Nodes started together on a new PostgreSQL database take turns at their start-up writes, so it is migrated once.</summary>
public sealed class NodesStartTogetherTests
{
    private sealed class Contexts(string connectionString) : IDbContextFactory<BatchMonitorDbContext>
    {
        public BatchMonitorDbContext CreateDbContext() => MigrationDriftTests.PostgresStoreContext(connectionString);
    }

    private static async Task<int> WaitingForTheLockAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted", connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_second_node_waits_while_the_first_migrates_then_finds_the_database_migrated()
    {
        var server = await PostgresServer.InstanceAsync();
        var connectionString = await server.CreateDatabaseAsync(migrated: false);
        try
        {
            var first = new DatabaseMigrator(new Contexts(connectionString), NullLogger<DatabaseMigrator>.Instance);
            var second = new DatabaseMigrator(new Contexts(connectionString), NullLogger<DatabaseMigrator>.Instance);
            var firstIn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var letFirstGo = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var secondRan = false;

            var firstStart = first.RunAloneAsync(async () =>
            {
                firstIn.SetResult();
                await letFirstGo.Task;
                await first.MigrateAsync();
            });
            await Wait.ForAsync(firstIn.Task, "the first node to start");
            var secondStart = second.RunAloneAsync(async () =>
            {
                secondRan = true;
                await second.MigrateAsync();
            });

            // The second node waits on the lock the first holds, and does nothing meanwhile.
            await Wait.UntilAsync(async () => await WaitingForTheLockAsync(connectionString) == 1, "the second node to wait for the start lock");
            Assert.False(secondRan);

            letFirstGo.SetResult();
            await Wait.ForAsync(Task.WhenAll(firstStart, secondStart), "both nodes to start");
            Assert.True(secondRan);
            await using var db = MigrationDriftTests.PostgresStoreContext(connectionString);
            Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        }
        finally
        {
            await server.DropDatabaseAsync(connectionString);
        }
    }
}
