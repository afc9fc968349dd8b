using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BatchMonitor.Web.Auth.Store.Migrations.Sqlite
{
    /// <summary>
    /// The auth_changes counter (AuthChanges) and the triggers that move it in the transaction of every change that
    /// can alter what an API key may do: the key revoked, re-hashed, re-roled, moved or deleted; its owner disabled or
    /// deleted; a role given, taken or renamed.
    /// </summary>
    public partial class AuthChanges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE auth_changes (id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
                """);
            migrationBuilder.Sql("INSERT INTO auth_changes (id, version) VALUES (1, 0);");
            migrationBuilder.Sql("CREATE TRIGGER auth_api_keys_changed AFTER UPDATE OF hash, role, user_id, revoked_at ON auth_api_keys BEGIN UPDATE auth_changes SET version = version + 1; END;");
            migrationBuilder.Sql("CREATE TRIGGER auth_api_keys_deleted AFTER DELETE ON auth_api_keys BEGIN UPDATE auth_changes SET version = version + 1; END;");
            migrationBuilder.Sql("CREATE TRIGGER auth_users_changed AFTER UPDATE OF id, disabled ON auth_users BEGIN UPDATE auth_changes SET version = version + 1; END;");
            migrationBuilder.Sql("CREATE TRIGGER auth_users_deleted AFTER DELETE ON auth_users BEGIN UPDATE auth_changes SET version = version + 1; END;");
            migrationBuilder.Sql("CREATE TRIGGER auth_user_roles_added AFTER INSERT ON auth_user_roles BEGIN UPDATE auth_changes SET version = version + 1; END;");
            migrationBuilder.Sql("CREATE TRIGGER auth_user_roles_changed AFTER UPDATE ON auth_user_roles BEGIN UPDATE auth_changes SET version = version + 1; END;");
            migrationBuilder.Sql("CREATE TRIGGER auth_user_roles_removed AFTER DELETE ON auth_user_roles BEGIN UPDATE auth_changes SET version = version + 1; END;");
            migrationBuilder.Sql("CREATE TRIGGER auth_roles_changed AFTER UPDATE OF id, name ON auth_roles BEGIN UPDATE auth_changes SET version = version + 1; END;");
            migrationBuilder.Sql("CREATE TRIGGER auth_roles_deleted AFTER DELETE ON auth_roles BEGIN UPDATE auth_changes SET version = version + 1; END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER auth_api_keys_changed;");
            migrationBuilder.Sql("DROP TRIGGER auth_api_keys_deleted;");
            migrationBuilder.Sql("DROP TRIGGER auth_users_changed;");
            migrationBuilder.Sql("DROP TRIGGER auth_users_deleted;");
            migrationBuilder.Sql("DROP TRIGGER auth_user_roles_added;");
            migrationBuilder.Sql("DROP TRIGGER auth_user_roles_changed;");
            migrationBuilder.Sql("DROP TRIGGER auth_user_roles_removed;");
            migrationBuilder.Sql("DROP TRIGGER auth_roles_changed;");
            migrationBuilder.Sql("DROP TRIGGER auth_roles_deleted;");
            migrationBuilder.Sql("DROP TABLE auth_changes;");
        }
    }
}
