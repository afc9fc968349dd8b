using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BatchMonitor.Core.Storage.Migrations.Sqlite
{
    /// <summary>
    /// Where dotnet ef takes over: the schema is exactly what Initial, Datasets and Schedules (written by hand, without a model snapshot) built, so this changes nothing. It carries the
    /// first model snapshot; a database made before it gets only its history row, a new one gets the earlier migrations
    /// first. Later migrations are generated against this snapshot.
    /// </summary>
    public partial class Baseline : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
        }
    }
}
