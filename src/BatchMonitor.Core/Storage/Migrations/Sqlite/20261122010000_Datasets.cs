using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace BatchMonitor.Core.Storage.Migrations.Sqlite;

/// <summary>Datasets: named lists of rows that keep the last outcome of each row.</summary>
[DbContext(typeof(BatchMonitorDbContext))]
[Migration("20261122010000_Datasets")]
public sealed class Datasets : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.CreateTable(
            name: "datasets",
            columns: t => new
            {
                id = t.Column<Guid>(type: "TEXT", nullable: false),
                name = t.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                row_count = t.Column<int>(type: "INTEGER", nullable: false),
                created_at = t.Column<DateTime>(type: "TEXT", nullable: false),
                updated_at = t.Column<DateTime>(type: "TEXT", nullable: false),
                created_by = t.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
            },
            constraints: t => t.PrimaryKey("pk_datasets", x => x.id));

        m.CreateTable(
            name: "dataset_rows",
            columns: t => new
            {
                id = t.Column<long>(type: "INTEGER", nullable: false),
                dataset_id = t.Column<Guid>(type: "TEXT", nullable: false),
                position = t.Column<int>(type: "INTEGER", nullable: false),
                row_key = t.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                group_name = t.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                payload = t.Column<string>(type: "TEXT", nullable: true),
                last_status = t.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                last_result = t.Column<string>(type: "TEXT", nullable: true),
                last_error = t.Column<string>(type: "TEXT", nullable: true),
                last_batch_id = t.Column<Guid>(type: "TEXT", nullable: true),
                last_processed_at = t.Column<DateTime>(type: "TEXT", nullable: true),
            },
            constraints: t =>
            {
                t.PrimaryKey("pk_dataset_rows", x => x.id);
                t.ForeignKey("fk_dataset_rows_datasets", x => x.dataset_id, "datasets", "id", onDelete: ReferentialAction.Cascade);
            });

        m.CreateIndex("ix_datasets_created_at", "datasets", "created_at");
        m.CreateIndex("ux_dataset_rows_dataset_position", "dataset_rows", ["dataset_id", "position"], unique: true);
        m.CreateIndex("ux_dataset_rows_dataset_key", "dataset_rows", ["dataset_id", "row_key"], unique: true);
        m.CreateIndex("ix_dataset_rows_dataset_status_position", "dataset_rows", ["dataset_id", "last_status", "position"]);
    }

    protected override void Down(MigrationBuilder m)
    {
        m.DropTable("dataset_rows");
        m.DropTable("datasets");
    }
}
