using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BatchMonitor.Core.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SearchIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:pg_trgm", ",,");

            migrationBuilder.CreateIndex(
                name: "ix_batches_error_trgm",
                table: "batches",
                column: "error")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_batches_exclusive_key_trgm",
                table: "batches",
                column: "exclusive_key")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_batches_name_trgm",
                table: "batches",
                column: "name")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_batch_items_error_trgm",
                table: "batch_items",
                column: "error")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_batch_items_key_trgm",
                table: "batch_items",
                column: "item_key")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_batch_items_result_trgm",
                table: "batch_items",
                column: "result")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_batches_error_trgm",
                table: "batches");

            migrationBuilder.DropIndex(
                name: "ix_batches_exclusive_key_trgm",
                table: "batches");

            migrationBuilder.DropIndex(
                name: "ix_batches_name_trgm",
                table: "batches");

            migrationBuilder.DropIndex(
                name: "ix_batch_items_error_trgm",
                table: "batch_items");

            migrationBuilder.DropIndex(
                name: "ix_batch_items_key_trgm",
                table: "batch_items");

            migrationBuilder.DropIndex(
                name: "ix_batch_items_result_trgm",
                table: "batch_items");

            migrationBuilder.AlterDatabase()
                .OldAnnotation("Npgsql:PostgresExtension:pg_trgm", ",,");
        }
    }
}
