using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace BatchMonitor.Core.Storage.Migrations.Sqlite;

/// <summary>Schedules and the history of their fires.</summary>
[DbContext(typeof(BatchMonitorDbContext))]
[Migration("20261122020000_Schedules")]
public sealed class Schedules : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.CreateTable(
            name: "schedules",
            columns: t => new
            {
                id = t.Column<Guid>(type: "TEXT", nullable: false),
                name = t.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                cron = t.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                interval_seconds = t.Column<int>(type: "INTEGER", nullable: true),
                time_zone = t.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                enabled = t.Column<bool>(type: "INTEGER", nullable: false),
                misfire_policy = t.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                template = t.Column<string>(type: "TEXT", nullable: false),
                next_run_at = t.Column<DateTime>(type: "TEXT", nullable: true),
                last_run_at = t.Column<DateTime>(type: "TEXT", nullable: true),
                last_batch_id = t.Column<Guid>(type: "TEXT", nullable: true),
                created_at = t.Column<DateTime>(type: "TEXT", nullable: false),
                updated_at = t.Column<DateTime>(type: "TEXT", nullable: false),
                created_by = t.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
            },
            constraints: t => t.PrimaryKey("pk_schedules", x => x.id));

        m.CreateTable(
            name: "schedule_runs",
            columns: t => new
            {
                id = t.Column<long>(type: "INTEGER", nullable: false).Annotation("Sqlite:Autoincrement", true),
                schedule_id = t.Column<Guid>(type: "TEXT", nullable: false),
                fire_at = t.Column<DateTime>(type: "TEXT", nullable: false),
                at = t.Column<DateTime>(type: "TEXT", nullable: false),
                outcome = t.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                reason = t.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                batch_id = t.Column<Guid>(type: "TEXT", nullable: true),
                manual = t.Column<bool>(type: "INTEGER", nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("pk_schedule_runs", x => x.id);
                t.ForeignKey("fk_schedule_runs_schedules", x => x.schedule_id, "schedules", "id", onDelete: ReferentialAction.Cascade);
            });

        m.CreateIndex("ix_schedules_enabled_next_run_at", "schedules", ["enabled", "next_run_at"]);
        m.CreateIndex("ix_schedule_runs_schedule_id", "schedule_runs", ["schedule_id", "id"]);
    }

    protected override void Down(MigrationBuilder m)
    {
        m.DropTable("schedule_runs");
        m.DropTable("schedules");
    }
}
