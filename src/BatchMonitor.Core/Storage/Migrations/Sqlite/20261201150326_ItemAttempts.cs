using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BatchMonitor.Core.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ItemAttempts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "item_attempts",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false),
                    batch_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    item_index = table.Column<int>(type: "INTEGER", nullable: false),
                    attempt = table.Column<int>(type: "INTEGER", nullable: false),
                    node = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    started_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    finished_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    duration_ms = table.Column<long>(type: "INTEGER", nullable: true),
                    outcome = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    error = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    detail = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_item_attempts", x => x.id);
                    table.ForeignKey(
                        name: "fk_item_attempts_batches",
                        column: x => x.batch_id,
                        principalTable: "batches",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_item_attempts_batch_item_attempt",
                table: "item_attempts",
                columns: new[] { "batch_id", "item_index", "attempt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "item_attempts");
        }
    }
}
