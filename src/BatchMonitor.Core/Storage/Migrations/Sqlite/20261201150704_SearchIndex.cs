using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BatchMonitor.Core.Storage.Migrations.Sqlite
{
    /// <summary>
    /// Batch search from an index (custom SQL: EF cannot express FTS5 tables or triggers). Two FTS5 tables with the
    /// trigram tokenizer over <c>batch_items</c> (external content: they keep only the index, rowid = batch_items.id):
    /// <c>item_keys_search</c> (every item's key) and <c>item_outcomes_search</c> (every item's error and result).
    /// Triggers on <c>batch_items</c> keep both in step with every insert (bulk inserter, clone), every change
    /// of key, error or result (the ledger) and every delete (a batch's delete cascades to its items).
    /// <see cref="TextSearch"/> queries them. A table rebuild of batch_items drops these triggers: a later migration
    /// that rebuilds it must create them again (this file's SQL).
    /// </summary>
    public partial class SearchIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE item_keys_search USING fts5(
                    item_key, content='batch_items', content_rowid='id', tokenize='trigram');
                """);
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE item_outcomes_search USING fts5(
                    error, result, content='batch_items', content_rowid='id', tokenize='trigram');
                """);
            // Every row of batch_items is in both indexes (an item without an outcome adds no terms), so FTS5's integrity
            // check can compare each index with its content. An external-content index forgets a row only when told the
            // values it indexed: each trigger hands over the old values exactly as they were added.
            migrationBuilder.Sql("INSERT INTO item_keys_search(item_keys_search) VALUES ('rebuild');");
            migrationBuilder.Sql("INSERT INTO item_outcomes_search(item_outcomes_search) VALUES ('rebuild');");
            migrationBuilder.Sql("""
                CREATE TRIGGER batch_items_search_insert AFTER INSERT ON batch_items BEGIN
                    INSERT INTO item_keys_search(rowid, item_key) VALUES (new.id, new.item_key);
                    INSERT INTO item_outcomes_search(rowid, error, result) VALUES (new.id, new.error, new.result);
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER batch_items_search_delete AFTER DELETE ON batch_items BEGIN
                    INSERT INTO item_keys_search(item_keys_search, rowid, item_key) VALUES ('delete', old.id, old.item_key);
                    INSERT INTO item_outcomes_search(item_outcomes_search, rowid, error, result)
                        VALUES ('delete', old.id, old.error, old.result);
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER batch_items_search_key AFTER UPDATE OF item_key ON batch_items
                WHEN old.item_key IS NOT new.item_key BEGIN
                    INSERT INTO item_keys_search(item_keys_search, rowid, item_key) VALUES ('delete', old.id, old.item_key);
                    INSERT INTO item_keys_search(rowid, item_key) VALUES (new.id, new.item_key);
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER batch_items_search_outcome AFTER UPDATE OF error, result ON batch_items
                WHEN old.error IS NOT new.error OR old.result IS NOT new.result BEGIN
                    INSERT INTO item_outcomes_search(item_outcomes_search, rowid, error, result)
                        VALUES ('delete', old.id, old.error, old.result);
                    INSERT INTO item_outcomes_search(rowid, error, result) VALUES (new.id, new.error, new.result);
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS batch_items_search_outcome;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS batch_items_search_key;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS batch_items_search_delete;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS batch_items_search_insert;");
            migrationBuilder.Sql("DROP TABLE IF EXISTS item_outcomes_search;");
            migrationBuilder.Sql("DROP TABLE IF EXISTS item_keys_search;");
        }
    }
}
