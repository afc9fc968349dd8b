using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace BatchMonitor.Web.Components.Ui;

/// <summary>
/// Short messages in the corner (MudBlazor's snackbar): a title, a line, and an optional link to what it is about.
/// Every page notifies through this, so each message looks and lasts the same.
/// </summary>
public static class Notifications
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(8);

    /// <summary>Shows one message. Returns null when an identical one is already shown (a burst says it once).</summary>
    public static Snackbar? Notify(this ISnackbar snackbar, string title, string message, Severity severity = Severity.Info,
        string? href = null) =>
        snackbar.Add(Body(title, message, href), severity, options =>
        {
            options.VisibleStateDuration = (int)Lifetime.TotalMilliseconds;
            options.DuplicatesBehavior = SnackbarDuplicatesBehavior.Prevent;
        }, key: $"{severity}|{title}|{message}|{href}");

    private static RenderFragment Body(string title, string message, string? href) => builder =>
    {
        builder.OpenElement(0, "div");
        builder.AddAttribute(1, "class", "bm-note");
        builder.OpenElement(2, "div");
        builder.AddAttribute(3, "class", "bm-note-title");
        builder.AddContent(4, title);
        builder.CloseElement();
        builder.OpenElement(5, "div");
        builder.AddAttribute(6, "class", "bm-note-message");
        if (href is null)
        {
            builder.AddContent(7, message);
        }
        else
        {
            builder.OpenElement(8, "a");
            builder.AddAttribute(9, "href", href);
            builder.AddContent(10, message);
            builder.CloseElement();
        }
        builder.CloseElement();
        builder.CloseElement();
    };
}
