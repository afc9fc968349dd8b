using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace BatchMonitor.Web.Auth.Store.Migrations.Sqlite;

/// <summary>Users, roles and their claims, logins and tokens (ASP.NET Core Identity), and API keys.</summary>
[DbContext(typeof(AuthDbContext))]
[Migration("20261122100000_Auth")]
public sealed class Auth : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.CreateTable(
            name: "auth_roles",
            columns: t => new
            {
                id = t.Column<string>(type: "TEXT", nullable: false),
                name = t.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                normalized_name = t.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                concurrency_stamp = t.Column<string>(type: "TEXT", nullable: true),
            },
            constraints: t => t.PrimaryKey("pk_auth_roles", x => x.id));

        m.CreateTable(
            name: "auth_users",
            columns: t => new
            {
                id = t.Column<string>(type: "TEXT", nullable: false),
                disabled = t.Column<bool>(type: "INTEGER", nullable: false),
                created_at = t.Column<DateTime>(type: "TEXT", nullable: false),
                user_name = t.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                normalized_user_name = t.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                email = t.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                normalized_email = t.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                email_confirmed = t.Column<bool>(type: "INTEGER", nullable: false),
                password_hash = t.Column<string>(type: "TEXT", nullable: true),
                security_stamp = t.Column<string>(type: "TEXT", nullable: true),
                concurrency_stamp = t.Column<string>(type: "TEXT", nullable: true),
                phone_number = t.Column<string>(type: "TEXT", nullable: true),
                phone_number_confirmed = t.Column<bool>(type: "INTEGER", nullable: false),
                two_factor_enabled = t.Column<bool>(type: "INTEGER", nullable: false),
                lockout_end = t.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                lockout_enabled = t.Column<bool>(type: "INTEGER", nullable: false),
                access_failed_count = t.Column<int>(type: "INTEGER", nullable: false),
            },
            constraints: t => t.PrimaryKey("pk_auth_users", x => x.id));

        m.CreateTable(
            name: "auth_role_claims",
            columns: t => new
            {
                id = t.Column<int>(type: "INTEGER", nullable: false).Annotation("Sqlite:Autoincrement", true),
                role_id = t.Column<string>(type: "TEXT", nullable: false),
                claim_type = t.Column<string>(type: "TEXT", nullable: true),
                claim_value = t.Column<string>(type: "TEXT", nullable: true),
            },
            constraints: t =>
            {
                t.PrimaryKey("pk_auth_role_claims", x => x.id);
                t.ForeignKey("fk_auth_role_claims_auth_roles_role_id", x => x.role_id, "auth_roles", "id", onDelete: ReferentialAction.Cascade);
            });

        m.CreateTable(
            name: "auth_api_keys",
            columns: t => new
            {
                id = t.Column<Guid>(type: "TEXT", nullable: false),
                name = t.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                hash = t.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                prefix = t.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                role = t.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                user_id = t.Column<string>(type: "TEXT", nullable: false),
                created_by = t.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                created_at = t.Column<DateTime>(type: "TEXT", nullable: false),
                last_used_at = t.Column<DateTime>(type: "TEXT", nullable: true),
                revoked_at = t.Column<DateTime>(type: "TEXT", nullable: true),
            },
            constraints: t =>
            {
                t.PrimaryKey("pk_auth_api_keys", x => x.id);
                t.ForeignKey("fk_auth_api_keys_auth_users_user_id", x => x.user_id, "auth_users", "id", onDelete: ReferentialAction.Cascade);
            });

        m.CreateTable(
            name: "auth_user_claims",
            columns: t => new
            {
                id = t.Column<int>(type: "INTEGER", nullable: false).Annotation("Sqlite:Autoincrement", true),
                user_id = t.Column<string>(type: "TEXT", nullable: false),
                claim_type = t.Column<string>(type: "TEXT", nullable: true),
                claim_value = t.Column<string>(type: "TEXT", nullable: true),
            },
            constraints: t =>
            {
                t.PrimaryKey("pk_auth_user_claims", x => x.id);
                t.ForeignKey("fk_auth_user_claims_auth_users_user_id", x => x.user_id, "auth_users", "id", onDelete: ReferentialAction.Cascade);
            });

        m.CreateTable(
            name: "auth_user_logins",
            columns: t => new
            {
                login_provider = t.Column<string>(type: "TEXT", nullable: false),
                provider_key = t.Column<string>(type: "TEXT", nullable: false),
                provider_display_name = t.Column<string>(type: "TEXT", nullable: true),
                user_id = t.Column<string>(type: "TEXT", nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("pk_auth_user_logins", x => new { x.login_provider, x.provider_key });
                t.ForeignKey("fk_auth_user_logins_auth_users_user_id", x => x.user_id, "auth_users", "id", onDelete: ReferentialAction.Cascade);
            });

        m.CreateTable(
            name: "auth_user_roles",
            columns: t => new
            {
                user_id = t.Column<string>(type: "TEXT", nullable: false),
                role_id = t.Column<string>(type: "TEXT", nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("pk_auth_user_roles", x => new { x.user_id, x.role_id });
                t.ForeignKey("fk_auth_user_roles_auth_roles_role_id", x => x.role_id, "auth_roles", "id", onDelete: ReferentialAction.Cascade);
                t.ForeignKey("fk_auth_user_roles_auth_users_user_id", x => x.user_id, "auth_users", "id", onDelete: ReferentialAction.Cascade);
            });

        m.CreateTable(
            name: "auth_user_tokens",
            columns: t => new
            {
                user_id = t.Column<string>(type: "TEXT", nullable: false),
                login_provider = t.Column<string>(type: "TEXT", nullable: false),
                name = t.Column<string>(type: "TEXT", nullable: false),
                value = t.Column<string>(type: "TEXT", nullable: true),
            },
            constraints: t =>
            {
                t.PrimaryKey("pk_auth_user_tokens", x => new { x.user_id, x.login_provider, x.name });
                t.ForeignKey("fk_auth_user_tokens_auth_users_user_id", x => x.user_id, "auth_users", "id", onDelete: ReferentialAction.Cascade);
            });

        m.CreateIndex("ix_auth_api_keys_hash", "auth_api_keys", "hash", unique: true);
        m.CreateIndex("ix_auth_api_keys_user_id", "auth_api_keys", "user_id");
        m.CreateIndex("ix_auth_role_claims_role_id", "auth_role_claims", "role_id");
        m.CreateIndex("ix_auth_roles_normalized_name", "auth_roles", "normalized_name", unique: true);
        m.CreateIndex("ix_auth_user_claims_user_id", "auth_user_claims", "user_id");
        m.CreateIndex("ix_auth_user_logins_user_id", "auth_user_logins", "user_id");
        m.CreateIndex("ix_auth_user_roles_role_id", "auth_user_roles", "role_id");
        m.CreateIndex("ix_auth_users_normalized_email", "auth_users", "normalized_email");
        m.CreateIndex("ix_auth_users_normalized_user_name", "auth_users", "normalized_user_name", unique: true);
    }

    protected override void Down(MigrationBuilder m)
    {
        foreach (var table in new[]
                 {
                     "auth_api_keys", "auth_role_claims", "auth_user_claims", "auth_user_logins", "auth_user_roles",
                     "auth_user_tokens", "auth_roles", "auth_users",
                 })
        {
            m.DropTable(table);
        }
    }
}
