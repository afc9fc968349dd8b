namespace BatchMonitor.Core.Handlers;

/// <summary>The item's attempt failed. <see cref="Retryable"/> false makes it final whatever attempts are left.</summary>
public class ItemFailedException(string message, bool retryable = true, Exception? inner = null)
    : Exception(message, inner)
{
    public bool Retryable { get; } = retryable;
}

/// <summary>The batch cannot go on (bad configuration, a dependency gone): it stops as failed with this message.</summary>
public class BatchFatalException(string message, Exception? inner = null) : Exception(message, inner);
