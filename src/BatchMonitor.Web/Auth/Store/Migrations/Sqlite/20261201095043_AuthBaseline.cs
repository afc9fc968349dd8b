using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BatchMonitor.Web.Auth.Store.Migrations.Sqlite
{
    /// <summary>
    /// Where dotnet ef takes over: the schema is exactly what Auth (written by hand, without a model snapshot) built, so this changes nothing. It carries the
    /// first model snapshot; a database made before it gets only its history row, a new one gets the earlier migrations
    /// first. Later migrations are generated against this snapshot.
    /// </summary>
    public partial class AuthBaseline : Migration
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
