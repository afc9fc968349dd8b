using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BatchMonitor.Core.Storage.Migrations.Sqlite
{
    /// <summary>
    /// A batch's log filtered by item and level (two indexes) and searched by text from an index (custom SQL: EF cannot
    /// express FTS5 tables or triggers): <c>log_lines_search</c>, an FTS5 table with the trigram tokenizer over
    /// <c>log_lines.message</c> (external content: it keeps only the index, rowid = log_lines.seq), filled from the lines
    /// already written and kept in step by triggers on every insert (the engine's writer) and delete (a batch's delete
    /// cascades to its lines; retention). Lines are never changed. <see cref="Storage.LogSearch"/> queries it. A table
    /// rebuild of log_lines drops these triggers: a later migration that rebuilds it must create them again (this file's SQL).
    /// </summary>
    public partial class LogSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_log_lines_batch_item_seq",
                table: "log_lines",
                columns: new[] { "batch_id", "item_key", "seq" });

            migrationBuilder.CreateIndex(
                name: "ix_log_lines_batch_level_seq",
                table: "log_lines",
                columns: new[] { "batch_id", "level", "seq" });

            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE log_lines_search USING fts5(
                    message, content='log_lines', content_rowid='seq', tokenize='trigram');
                """);
            migrationBuilder.Sql("INSERT INTO log_lines_search(log_lines_search) VALUES ('rebuild');");
            // An external-content index forgets a row only when told the values it indexed: the delete trigger hands over
            // the old message exactly as it was added.
            migrationBuilder.Sql("""
                CREATE TRIGGER log_lines_search_insert AFTER INSERT ON log_lines BEGIN
                    INSERT INTO log_lines_search(rowid, message) VALUES (new.seq, new.message);
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER log_lines_search_delete AFTER DELETE ON log_lines BEGIN
                    INSERT INTO log_lines_search(log_lines_search, rowid, message) VALUES ('delete', old.seq, old.message);
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS log_lines_search_delete;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS log_lines_search_insert;");
            migrationBuilder.Sql("DROP TABLE IF EXISTS log_lines_search;");

            migrationBuilder.DropIndex(
                name: "ix_log_lines_batch_item_seq",
                table: "log_lines");

            migrationBuilder.DropIndex(
                name: "ix_log_lines_batch_level_seq",
                table: "log_lines");
        }
    }
}
