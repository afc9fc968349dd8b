namespace BatchMonitor.Core.Domain;

/// <summary>Items that reached a final outcome in one minute for one handler: the dashboard chart and the stats.</summary>
public sealed class ThroughputMinute
{
    public DateTime Minute { get; set; }
    public string Handler { get; set; } = "";
    public int Succeeded { get; set; }
    public int Failed { get; set; }
    public long DurationMsSum { get; set; }
}
