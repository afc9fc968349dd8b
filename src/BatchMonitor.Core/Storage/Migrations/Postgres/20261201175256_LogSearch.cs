using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BatchMonitor.Core.Storage.Migrations.Postgres
{
    /// <inheritdoc />
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

            migrationBuilder.CreateIndex(
                name: "ix_log_lines_message_trgm",
                table: "log_lines",
                column: "message")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_log_lines_batch_item_seq",
                table: "log_lines");

            migrationBuilder.DropIndex(
                name: "ix_log_lines_batch_level_seq",
                table: "log_lines");

            migrationBuilder.DropIndex(
                name: "ix_log_lines_message_trgm",
                table: "log_lines");
        }
    }
}
