namespace BatchMonitor.Web.Components.Layout;

/// <summary>Which finished batches a tab tells its reader about (the top bar's Notifications menu), remembered per browser.</summary>
public enum NotificationChoice
{
    /// <summary>Batches this user started, and batches whose page they opened in this tab (the default).</summary>
    Mine,

    /// <summary>Every batch that finishes.</summary>
    All,

    /// <summary>Nothing.</summary>
    None,
}

public static class NotificationChoices
{
    /// <summary>The browser's localStorage key that remembers the choice.</summary>
    public const string StorageKey = "bm-notify";

    public static string Word(this NotificationChoice choice) => choice switch
    {
        NotificationChoice.All => "all",
        NotificationChoice.None => "none",
        _ => "mine",
    };

    public static NotificationChoice Parse(string? word) => word switch
    {
        "all" => NotificationChoice.All,
        "none" => NotificationChoice.None,
        _ => NotificationChoice.Mine,
    };
}
