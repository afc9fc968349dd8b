using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Views;

namespace BatchMonitor.Tests.Support;

/// <summary>The ledger's invariant, checked straight in the database.</summary>
public static class LedgerAssert
{
    /// <summary>
    /// The batch's counters equal a <c>COUNT(*) ... GROUP BY status</c> of its items, read in one statement (one
    /// snapshot, so it holds even while the engine writes), and add up to the batch's total.
    /// </summary>
    public static async Task CountersMatchItemsAsync(EngineHarness h, Guid batchId)
    {
        await using var connection = await h.Database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT 'items', status, COUNT(*) FROM batch_items WHERE batch_id = @id GROUP BY status
            UNION ALL SELECT 'counter', 'pending', pending FROM batches WHERE id = @id
            UNION ALL SELECT 'counter', 'running', running FROM batches WHERE id = @id
            UNION ALL SELECT 'counter', 'succeeded', succeeded FROM batches WHERE id = @id
            UNION ALL SELECT 'counter', 'failed', failed FROM batches WHERE id = @id
            UNION ALL SELECT 'counter', 'skipped', skipped FROM batches WHERE id = @id
            UNION ALL SELECT 'counter', 'cancelled', cancelled FROM batches WHERE id = @id
            UNION ALL SELECT 'total', 'total', total FROM batches WHERE id = @id
            """;
        var id = command.CreateParameter();
        id.ParameterName = "@id";
        id.Value = h.Database.Id(batchId);
        command.Parameters.Add(id);
        var items = new Dictionary<string, long>();
        var counters = new Dictionary<string, long>();
        long total = -1;
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var (kind, status, n) = (reader.GetString(0), reader.GetString(1), reader.GetInt64(2));
                if (kind == "items") items[status] = n;
                else if (kind == "counter") counters[status] = n;
                else total = n;
            }
        }
        Assert.True(total >= 0, $"No batch {batchId}.");
        foreach (var status in Enum.GetValues<ItemStatus>())
        {
            var name = status.Name();
            Assert.True(items.GetValueOrDefault(name) == counters[name],
                $"Batch {batchId}: the {name} counter is {counters[name]}, its items table holds {items.GetValueOrDefault(name)} {name}.");
        }
        Assert.Equal(total, counters.Values.Sum());
    }

    /// <summary>The batch rests in one of the statuses, and its counters agree with it.</summary>
    public static void LegalFinal(BatchView batch, params BatchStatus[] allowed)
    {
        Assert.Contains(batch.Status, allowed);
        Assert.Equal(0, batch.Running);
        if (batch.Status == BatchStatus.Completed) Assert.Equal(0, batch.Pending);
        if (batch.Status.IsFinished()) Assert.NotNull(batch.FinishedAt);
    }
}
