using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BatchMonitor.Core.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Retention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "removal_started_at",
                table: "batches",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "retention_state",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false),
                    finished_batch_days = table.Column<int>(type: "INTEGER", nullable: true),
                    schedule_runs_kept = table.Column<int>(type: "INTEGER", nullable: true),
                    changed_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    changed_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    pruned_batches = table.Column<long>(type: "INTEGER", nullable: false),
                    pruned_items = table.Column<long>(type: "INTEGER", nullable: false),
                    pruned_log_lines = table.Column<long>(type: "INTEGER", nullable: false),
                    pruned_attempts = table.Column<long>(type: "INTEGER", nullable: false),
                    pruned_schedule_runs = table.Column<long>(type: "INTEGER", nullable: false),
                    last_run_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    last_run_node = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    next_run_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    lease_node = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    lease_until = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_retention_state", x => x.id);
                });

            migrationBuilder.InsertData(
                table: "retention_state",
                columns: new[] { "id", "changed_at", "changed_by", "finished_batch_days", "last_run_at", "last_run_node", "lease_node", "lease_until", "next_run_at", "pruned_attempts", "pruned_batches", "pruned_items", "pruned_log_lines", "pruned_schedule_runs", "schedule_runs_kept" },
                values: new object[] { 1, null, null, null, null, null, null, null, null, 0L, 0L, 0L, 0L, 0L, null });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "retention_state");

            migrationBuilder.DropColumn(
                name: "removal_started_at",
                table: "batches");
        }
    }
}
