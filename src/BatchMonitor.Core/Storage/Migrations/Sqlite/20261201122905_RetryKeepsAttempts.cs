using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BatchMonitor.Core.Storage.Migrations.Sqlite
{
    /// <summary>
    /// "Retry failed" keeps an item's attempts: attempts_before_retry remembers how many were made before the last retry,
    /// and the allowance of maxAttempts counts from there.
    /// </summary>
    public partial class RetryKeepsAttempts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "attempts_before_retry",
                table: "batch_items",
                type: "INTEGER",
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
