using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace BatchMonitor.Core.Storage.Migrations.Sqlite;

/// <summary>Batches, their items and log lines, and the per-minute throughput the dashboard charts.</summary>
[DbContext(typeof(BatchMonitorDbContext))]
[Migration("20261122000000_Initial")]
public sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.CreateTable(
            name: "batches",
            columns: t => new
            {
                id = t.Column<Guid>(type: "TEXT", nullable: false),
                name = t.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                handler = t.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                status = t.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                priority = t.Column<int>(type: "INTEGER", nullable: false),
                exclusive_key = t.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                schedule_id = t.Column<Guid>(type: "TEXT", nullable: true),
                dataset_id = t.Column<Guid>(type: "TEXT", nullable: true),
                created_at = t.Column<DateTime>(type: "TEXT", nullable: false),
                started_at = t.Column<DateTime>(type: "TEXT", nullable: true),
                finished_at = t.Column<DateTime>(type: "TEXT", nullable: true),
                deadline_at = t.Column<DateTime>(type: "TEXT", nullable: true),
                total = t.Column<int>(type: "INTEGER", nullable: false),
                pending = t.Column<int>(type: "INTEGER", nullable: false),
                running = t.Column<int>(type: "INTEGER", nullable: false),
                succeeded = t.Column<int>(type: "INTEGER", nullable: false),
                failed = t.Column<int>(type: "INTEGER", nullable: false),
                skipped = t.Column<int>(type: "INTEGER", nullable: false),
                cancelled = t.Column<int>(type: "INTEGER", nullable: false),
                current_step = t.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                items_per_second = t.Column<double>(type: "REAL", nullable: false),
                error = t.Column<string>(type: "TEXT", nullable: true),
                options = t.Column<string>(type: "TEXT", nullable: false),
                args = t.Column<string>(type: "TEXT", nullable: false),
                created_by = t.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
            },
            constraints: t => t.PrimaryKey("pk_batches", x => x.id));

        m.CreateTable(
            name: "throughput_minutes",
            columns: t => new
            {
                minute = t.Column<DateTime>(type: "TEXT", nullable: false),
                handler = t.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                succeeded = t.Column<int>(type: "INTEGER", nullable: false),
                failed = t.Column<int>(type: "INTEGER", nullable: false),
                duration_ms_sum = t.Column<long>(type: "INTEGER", nullable: false),
            },
            constraints: t => t.PrimaryKey("pk_throughput_minutes", x => new { x.minute, x.handler }));

        m.CreateTable(
            name: "batch_items",
            columns: t => new
            {
                id = t.Column<long>(type: "INTEGER", nullable: false),
                batch_id = t.Column<Guid>(type: "TEXT", nullable: false),
                item_index = t.Column<int>(type: "INTEGER", nullable: false),
                item_key = t.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                group_name = t.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                payload = t.Column<string>(type: "TEXT", nullable: true),
                status = t.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                attempts = t.Column<int>(type: "INTEGER", nullable: false),
                progress = t.Column<double>(type: "REAL", nullable: false),
                step = t.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                next_attempt_at = t.Column<DateTime>(type: "TEXT", nullable: true),
                started_at = t.Column<DateTime>(type: "TEXT", nullable: true),
                finished_at = t.Column<DateTime>(type: "TEXT", nullable: true),
                duration_ms = t.Column<long>(type: "INTEGER", nullable: true),
                result = t.Column<string>(type: "TEXT", nullable: true),
                error = t.Column<string>(type: "TEXT", nullable: true),
            },
            constraints: t =>
            {
                t.PrimaryKey("pk_batch_items", x => x.id);
                t.ForeignKey("fk_batch_items_batches", x => x.batch_id, "batches", "id", onDelete: ReferentialAction.Cascade);
            });

        m.CreateTable(
            name: "log_lines",
            columns: t => new
            {
                seq = t.Column<long>(type: "INTEGER", nullable: false).Annotation("Sqlite:Autoincrement", true),
                batch_id = t.Column<Guid>(type: "TEXT", nullable: false),
                at = t.Column<DateTime>(type: "TEXT", nullable: false),
                level = t.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                item_key = t.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                message = t.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("pk_log_lines", x => x.seq);
                t.ForeignKey("fk_log_lines_batches", x => x.batch_id, "batches", "id", onDelete: ReferentialAction.Cascade);
            });

        m.CreateIndex("ix_batches_status_priority_created_at", "batches", ["status", "priority", "created_at"]);
        m.CreateIndex("ix_batches_created_at", "batches", "created_at");
        m.CreateIndex("ix_batches_handler", "batches", "handler");
        m.CreateIndex("ix_batches_exclusive_key", "batches", "exclusive_key");
        m.CreateIndex("ix_batches_schedule_id", "batches", "schedule_id");
        m.CreateIndex("ix_batches_dataset_id", "batches", "dataset_id");
        m.CreateIndex("ux_batch_items_batch_index", "batch_items", ["batch_id", "item_index"], unique: true);
        m.CreateIndex("ix_batch_items_batch_status_index", "batch_items", ["batch_id", "status", "item_index"]);
        m.CreateIndex("ux_batch_items_batch_key", "batch_items", ["batch_id", "item_key"], unique: true);
        m.CreateIndex("ix_log_lines_batch_seq", "log_lines", ["batch_id", "seq"]);
    }

    protected override void Down(MigrationBuilder m)
    {
        m.DropTable("log_lines");
        m.DropTable("batch_items");
        m.DropTable("throughput_minutes");
        m.DropTable("batches");
    }
}
