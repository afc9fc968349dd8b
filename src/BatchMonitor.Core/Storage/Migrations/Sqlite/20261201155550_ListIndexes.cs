using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BatchMonitor.Core.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_batches_created_at",
                table: "batches");

            migrationBuilder.AddColumn<double>(
                name: "progress",
                table: "batches",
                type: "REAL",
                nullable: false,
                computedColumnSql: "CASE WHEN total = 0 THEN 0.0 ELSE CAST(succeeded + failed + skipped + cancelled AS REAL) / total END",
                stored: false);

            migrationBuilder.CreateIndex(
                name: "ix_batches_created_at_id",
                table: "batches",
                columns: new[] { "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_batches_progress_created_at_id",
                table: "batches",
                columns: new[] { "progress", "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_batches_search_text",
                table: "batches",
                columns: new[] { "name", "exclusive_key", "error", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_batches_status_created_at_id",
                table: "batches",
                columns: new[] { "status", "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_batch_items_grouped",
                table: "batch_items",
                columns: new[] { "batch_id", "group_name" },
                filter: "group_name IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_batches_created_at_id",
                table: "batches");

            migrationBuilder.DropIndex(
                name: "ix_batches_progress_created_at_id",
                table: "batches");

            migrationBuilder.DropIndex(
                name: "ix_batches_search_text",
                table: "batches");

            migrationBuilder.DropIndex(
                name: "ix_batches_status_created_at_id",
                table: "batches");

            migrationBuilder.DropIndex(
                name: "ix_batch_items_grouped",
                table: "batch_items");

            migrationBuilder.DropColumn(
                name: "progress",
                table: "batches");

            migrationBuilder.CreateIndex(
                name: "ix_batches_created_at",
                table: "batches",
                column: "created_at");
        }
    }
}
