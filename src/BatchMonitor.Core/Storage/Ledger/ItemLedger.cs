using Microsoft.EntityFrameworkCore;

namespace BatchMonitor.Core.Storage.Ledger;

/// <summary>Opens the ledger of the context's provider: the one place where a provider's item SQL is chosen.</summary>
internal static class ItemLedger
{
    /// <summary>A ledger on the context's connection; the caller opens it (or begins a transaction) and commits.</summary>
    public static IItemLedger For(BatchMonitorDbContext db) =>
        db.Database.ProviderName switch
        {
            "Microsoft.EntityFrameworkCore.Sqlite" => new SqliteItemLedger(db),
            "Npgsql.EntityFrameworkCore.PostgreSQL" => new PostgresItemLedger(db),
            var other => throw new NotSupportedException($"No item ledger for the provider '{other}'."),
        };
}
