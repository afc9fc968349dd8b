using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BatchMonitor.Web.Auth.Store.Migrations.Postgres
{
    /// <summary>
    /// The auth_changes counter (AuthChanges) and the statement triggers that move it in the transaction of every change
    /// that can alter what an API key may do: the key revoked, re-hashed, re-roled, moved or deleted; its owner disabled
    /// or deleted; a role given, taken or renamed.
    /// </summary>
    public partial class AuthChanges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE auth_changes (id integer NOT NULL PRIMARY KEY CHECK (id = 1), version bigint NOT NULL);
                INSERT INTO auth_changes (id, version) VALUES (1, 0);
                CREATE FUNCTION auth_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE auth_changes SET version = version + 1;
                    RETURN NULL;
                END $$;
                """);
            migrationBuilder.Sql("CREATE TRIGGER auth_api_keys_changed AFTER UPDATE OF hash, role, user_id, revoked_at OR DELETE ON auth_api_keys FOR EACH STATEMENT EXECUTE FUNCTION auth_changed();");
            migrationBuilder.Sql("CREATE TRIGGER auth_users_changed AFTER UPDATE OF id, disabled OR DELETE ON auth_users FOR EACH STATEMENT EXECUTE FUNCTION auth_changed();");
            migrationBuilder.Sql("CREATE TRIGGER auth_user_roles_changed AFTER INSERT OR UPDATE OR DELETE ON auth_user_roles FOR EACH STATEMENT EXECUTE FUNCTION auth_changed();");
            migrationBuilder.Sql("CREATE TRIGGER auth_roles_changed AFTER UPDATE OF id, name OR DELETE ON auth_roles FOR EACH STATEMENT EXECUTE FUNCTION auth_changed();");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER auth_api_keys_changed ON auth_api_keys;");
            migrationBuilder.Sql("DROP TRIGGER auth_users_changed ON auth_users;");
            migrationBuilder.Sql("DROP TRIGGER auth_user_roles_changed ON auth_user_roles;");
            migrationBuilder.Sql("DROP TRIGGER auth_roles_changed ON auth_roles;");
            migrationBuilder.Sql("DROP FUNCTION auth_changed();");
            migrationBuilder.Sql("DROP TABLE auth_changes;");
        }
    }
}
