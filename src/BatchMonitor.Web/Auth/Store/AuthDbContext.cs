using BatchMonitor.Core.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace BatchMonitor.Web.Auth.Store;

/// <summary>
/// Users, roles and API keys, in the same database as the batches but in tables of their own (<c>auth_*</c>),
/// with snake_case columns like the rest of the schema. Migrations are made by <c>dotnet ef</c> (Migrations/Sqlite);
/// their history lives in <c>auth_migrations</c>, apart from the engine's. This type is the SQLite store;
/// <see cref="PostgresAuthDbContext"/> is the same model on PostgreSQL, with migrations of its own (Migrations/Postgres).
/// </summary>
public class AuthDbContext : IdentityDbContext<AppUser, IdentityRole, string>
{
    public const string MigrationsTable = "auth_migrations";

    public AuthDbContext(DbContextOptions<AuthDbContext> options) : base(options)
    {
    }

    /// <summary>For a provider's own context type (its own migrations and model snapshot).</summary>
    protected AuthDbContext(DbContextOptions options) : base(options)
    {
    }

    /// <summary>SQLite, with the auth tables' own migration history. A model change without its migration stops the start.</summary>
    internal static void ConfigureSqlite(DbContextOptionsBuilder o, string connectionString) =>
        o.UseSqlite(connectionString, s => s.MigrationsHistoryTable(MigrationsTable));

    /// <summary>PostgreSQL, with the auth tables' own migration history.</summary>
    internal static void ConfigurePostgres(DbContextOptionsBuilder o, string connectionString) =>
        o.UseNpgsql(connectionString, s => s.MigrationsHistoryTable(MigrationsTable));

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<AppUser>().ToTable("auth_users");
        builder.Entity<IdentityRole>().ToTable("auth_roles");
        builder.Entity<IdentityUserRole<string>>().ToTable("auth_user_roles");
        builder.Entity<IdentityUserClaim<string>>().ToTable("auth_user_claims");
        builder.Entity<IdentityUserLogin<string>>().ToTable("auth_user_logins");
        builder.Entity<IdentityUserToken<string>>().ToTable("auth_user_tokens");
        builder.Entity<IdentityRoleClaim<string>>().ToTable("auth_role_claims");

        builder.Entity<ApiKey>(k =>
        {
            k.ToTable("auth_api_keys");
            k.HasKey(x => x.Id);
            k.Property(x => x.Name).HasMaxLength(ApiKey.MaxNameLength);
            k.Property(x => x.Hash).HasMaxLength(64);
            k.Property(x => x.Prefix).HasMaxLength(16);
            k.Property(x => x.Role).HasMaxLength(16);
            k.Property(x => x.CreatedBy).HasMaxLength(256);
            k.HasIndex(x => x.Hash).IsUnique();
            k.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        SnakeCase(builder);
    }

    /// <summary>snake_case columns, and key, foreign key and index names in the engine's style (pk_, fk_, ix_).</summary>
    private static void SnakeCase(ModelBuilder builder)
    {
        foreach (var entity in builder.Model.GetEntityTypes())
        {
            var table = entity.GetTableName()!;
            foreach (var property in entity.GetProperties()) property.SetColumnName(Snake(property.Name));
            entity.FindPrimaryKey()?.SetName($"pk_{table}");
            foreach (var key in entity.GetForeignKeys())
                key.SetConstraintName($"fk_{table}_{key.PrincipalEntityType.GetTableName()}_{string.Join("_", key.Properties.Select(p => Snake(p.Name)))}");
            foreach (var index in entity.GetIndexes())
                index.SetDatabaseName($"ix_{table}_{string.Join("_", index.Properties.Select(p => Snake(p.Name)))}");
        }
    }

    internal static string Snake(string name)
    {
        var sb = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]))
            {
                if (i > 0) sb.Append('_');
                sb.Append(char.ToLowerInvariant(name[i]));
            }
            else sb.Append(name[i]);
        }
        return sb.ToString();
    }
}

/// <summary>The auth store on PostgreSQL: its own type, so its migrations and model snapshot live apart from SQLite's.</summary>
public sealed class PostgresAuthDbContext(DbContextOptions<PostgresAuthDbContext> options) : AuthDbContext(options);
