namespace BatchMonitor.Core.Rollups;

/// <summary>UTC minutes and steps, as the rollups store and read them.</summary>
public static class Minutes
{
    /// <summary>The start of the UTC minute that holds <paramref name="at"/>.</summary>
    public static DateTime Floor(DateTime at) => Floor(at, TimeSpan.FromMinutes(1));

    /// <summary>The start of the step that holds <paramref name="at"/>, steps counted from the Unix epoch (so hours and days start on UTC hours and midnights).</summary>
    public static DateTime Floor(DateTime at, TimeSpan step)
    {
        var utc = at.Kind == DateTimeKind.Local ? at.ToUniversalTime() : at;
        var ticks = utc.Ticks - DateTime.UnixEpoch.Ticks;
        return new DateTime(DateTime.UnixEpoch.Ticks + ticks - ticks % step.Ticks, DateTimeKind.Utc);
    }
}
