using BatchMonitor.Core.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BatchMonitor.Core.Storage.Configurations;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.ToTable("audit_entries");
        b.HasKey(x => x.Id).HasName("pk_audit_entries");
        b.Property(x => x.Id).ValueGeneratedOnAdd().HasAnnotation("Sqlite:ValueGenerationStrategy", SqliteValueGenerationStrategy.None);
        b.Property(x => x.Actor).HasMaxLength(AuditEntry.MaxActorChars);
        b.Property(x => x.Address).HasMaxLength(AuditEntry.MaxAddressChars);
        b.Property(x => x.Action).HasMaxLength(AuditEntry.MaxActionChars).IsRequired();
        b.Property(x => x.Subject).HasMaxLength(AuditEntry.MaxSubjectChars).IsRequired();
        b.Property(x => x.Detail).HasMaxLength(AuditEntry.MaxDetailChars);
        // No foreign key: the entries of a deleted batch, schedule or user stay.
        b.HasIndex(x => new { x.Subject, x.Id }).HasDatabaseName("ix_audit_entries_subject_id");
        b.HasIndex(x => new { x.Actor, x.Id }).HasDatabaseName("ix_audit_entries_actor_id");
    }
}
