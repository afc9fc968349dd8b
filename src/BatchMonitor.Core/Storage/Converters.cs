using BatchMonitor.Core.Domain;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace BatchMonitor.Core.Storage;

/// <summary>Times are stored as UTC and read back as UTC (SQLite keeps no kind).</summary>
public sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

public sealed class BatchStatusConverter() : ValueConverter<BatchStatus, string>(
    v => v.Name(),
    v => StatusNames.ParseBatch(v));

public sealed class ItemStatusConverter() : ValueConverter<ItemStatus, string>(
    v => v.Name(),
    v => StatusNames.ParseItem(v));
