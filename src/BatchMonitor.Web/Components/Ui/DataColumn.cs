using Microsoft.AspNetCore.Components;

namespace BatchMonitor.Web.Components.Ui;

/// <summary>One column of a <see cref="DataTable{TItem}"/>: a title, how to draw a cell, and how it sorts (if it does).</summary>
public sealed record DataColumn<TItem>(string Title, RenderFragment<TItem> Cell)
{
    /// <summary>The <c>orderBy</c> word this column sorts by; null when it does not sort.</summary>
    public string? SortKey { get; init; }

    /// <summary>The first click sorts descending (dates, progress) instead of ascending (names).</summary>
    public bool DescendingFirst { get; init; }

    /// <summary>Classes for the header and the cells, e.g. <c>num text-end</c>.</summary>
    public string? Class { get; init; }

    /// <summary>Replaces the title in the header (a select-all checkbox).</summary>
    public RenderFragment? Header { get; init; }

    /// <summary>Hides the title visually (it stays for screen readers).</summary>
    public bool HideTitle { get; init; }
}
