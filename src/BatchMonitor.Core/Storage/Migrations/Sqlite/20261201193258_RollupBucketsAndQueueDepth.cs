using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BatchMonitor.Core.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RollupBucketsAndQueueDepth : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "bucket00",
                table: "throughput_minutes",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "bucket01",
                table: "throughput_minutes",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "bucket02",
                table: "throughput_minutes",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "bucket03",
                table: "throughput_minutes",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "bucket04",
                table: "throughput_minutes",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "bucket05",
                table: "throughput_minutes",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "bucket06",
                table: "throughput_minutes",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "bucket07",
                table: "throughput_minutes",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "bucket08",
                table: "throughput_minutes",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "bucket09",
                table: "throughput_minutes",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "bucket10",
                table: "throughput_minutes",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "bucket11",
                table: "throughput_minutes",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "bucket12",
                table: "throughput_minutes",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "bucket13",
                table: "throughput_minutes",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "queue_depth",
                table: "throughput_minutes",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "bucket00",
                table: "throughput_minutes");

            migrationBuilder.DropColumn(
                name: "bucket01",
                table: "throughput_minutes");

            migrationBuilder.DropColumn(
                name: "bucket02",
                table: "throughput_minutes");

            migrationBuilder.DropColumn(
                name: "bucket03",
                table: "throughput_minutes");

            migrationBuilder.DropColumn(
                name: "bucket04",
                table: "throughput_minutes");

            migrationBuilder.DropColumn(
                name: "bucket05",
                table: "throughput_minutes");

            migrationBuilder.DropColumn(
                name: "bucket06",
                table: "throughput_minutes");

            migrationBuilder.DropColumn(
                name: "bucket07",
                table: "throughput_minutes");

            migrationBuilder.DropColumn(
                name: "bucket08",
                table: "throughput_minutes");

            migrationBuilder.DropColumn(
                name: "bucket09",
                table: "throughput_minutes");

            migrationBuilder.DropColumn(
                name: "bucket10",
                table: "throughput_minutes");

            migrationBuilder.DropColumn(
                name: "bucket11",
                table: "throughput_minutes");

            migrationBuilder.DropColumn(
                name: "bucket12",
                table: "throughput_minutes");

            migrationBuilder.DropColumn(
                name: "bucket13",
                table: "throughput_minutes");

            migrationBuilder.DropColumn(
                name: "queue_depth",
                table: "throughput_minutes");
        }
    }
}
