using BatchMonitor.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BatchMonitor.Core.Storage.Configurations;

internal sealed class ScheduleConfiguration : IEntityTypeConfiguration<Schedule>
{
    public void Configure(EntityTypeBuilder<Schedule> b)
    {
        b.ToTable("schedules");
        b.HasKey(x => x.Id).HasName("pk_schedules");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Name).HasMaxLength(200).IsRequired();
        b.Property(x => x.Cron).HasMaxLength(200);
        b.Property(x => x.TimeZone).HasMaxLength(100).IsRequired();
        b.Property(x => x.MisfirePolicy).HasMaxLength(16)
            .HasConversion(v => v == MisfirePolicy.RunOnce ? "run_once" : "skip", v => v == "run_once" ? MisfirePolicy.RunOnce : MisfirePolicy.Skip);
        b.Property(x => x.TemplateJson).HasColumnName("template").IsRequired();
        b.Property(x => x.CreatedBy).HasMaxLength(256);
        b.HasIndex(x => new { x.Enabled, x.NextRunAt }).HasDatabaseName("ix_schedules_enabled_next_run_at");
    }
}

internal sealed class ScheduleRunConfiguration : IEntityTypeConfiguration<ScheduleRun>
{
    public void Configure(EntityTypeBuilder<ScheduleRun> b)
    {
        b.ToTable("schedule_runs");
        b.HasKey(x => x.Id).HasName("pk_schedule_runs");
        b.Property(x => x.Id).ValueGeneratedOnAdd();
        b.Property(x => x.Outcome).HasMaxLength(16)
            .HasConversion(v => StatusNames.ToSnake(v.ToString()), v => Enum.Parse<RunOutcome>(v, true));
        b.Property(x => x.Reason).HasMaxLength(2000);
        b.HasOne<Schedule>().WithMany().HasForeignKey(x => x.ScheduleId)
            .HasConstraintName("fk_schedule_runs_schedules").OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.ScheduleId, x.Id }).HasDatabaseName("ix_schedule_runs_schedule_id");
    }
}
