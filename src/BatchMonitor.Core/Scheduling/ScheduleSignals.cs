using BatchMonitor.Core.Engine;

namespace BatchMonitor.Core.Scheduling;

/// <summary>Wakes the scheduler when a schedule is created, changed, enabled or disabled.</summary>
public sealed class ScheduleSignals : WakeSignal;
