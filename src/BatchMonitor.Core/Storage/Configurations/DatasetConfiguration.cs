using BatchMonitor.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BatchMonitor.Core.Storage.Configurations;

internal sealed class DatasetConfiguration : IEntityTypeConfiguration<Dataset>
{
    public void Configure(EntityTypeBuilder<Dataset> b)
    {
        b.ToTable("datasets");
        b.HasKey(x => x.Id).HasName("pk_datasets");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Name).HasMaxLength(200).IsRequired();
        b.Property(x => x.CreatedBy).HasMaxLength(256);
        b.HasIndex(x => x.CreatedAt).HasDatabaseName("ix_datasets_created_at");
    }
}

internal sealed class DatasetRowConfiguration : IEntityTypeConfiguration<DatasetRow>
{
    public void Configure(EntityTypeBuilder<DatasetRow> b)
    {
        b.ToTable("dataset_rows");
        b.HasKey(x => x.Id).HasName("pk_dataset_rows");
        b.Property(x => x.Id).ValueGeneratedOnAdd().HasAnnotation("Sqlite:ValueGenerationStrategy", SqliteValueGenerationStrategy.None);
        b.Property(x => x.Key).HasColumnName("row_key").HasMaxLength(1000).IsRequired();
        b.Property(x => x.Group).HasColumnName("group_name").HasMaxLength(200);
        b.Property(x => x.PayloadJson).HasColumnName("payload");
        b.Property(x => x.LastResultJson).HasColumnName("last_result");
        b.Property(x => x.LastStatus).HasMaxLength(16)
            .HasConversion(v => v == null ? null : v.Value.Name(), v => v == null ? null : StatusNames.ParseItem(v));
        b.Ignore(x => x.IsPending);
        b.HasOne<Dataset>().WithMany().HasForeignKey(x => x.DatasetId)
            .HasConstraintName("fk_dataset_rows_datasets").OnDelete(DeleteBehavior.Cascade);

        b.HasIndex(x => new { x.DatasetId, x.Position }).IsUnique().HasDatabaseName("ux_dataset_rows_dataset_position");
        b.HasIndex(x => new { x.DatasetId, x.Key }).IsUnique().HasDatabaseName("ux_dataset_rows_dataset_key");
        b.HasIndex(x => new { x.DatasetId, x.LastStatus, x.Position }).HasDatabaseName("ix_dataset_rows_dataset_status_position");
    }
}
