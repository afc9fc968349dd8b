using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BatchMonitor.Core.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RetryKeepsAttempts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "attempts_before_retry",
                table: "batch_items",
                type: "integer",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "attempts_before_retry",
                table: "batch_items");
        }
    }
}
