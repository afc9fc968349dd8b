namespace BatchMonitor.Core.Validation;

/// <summary>
/// How far a list can be paged. An offset (or a page's first row, <c>(page - 1) · pageSize</c>) goes up to a billion,
/// more rows than any list here holds, so <c>offset + limit</c> never overflows and a page beyond that is refused
/// instead of wrapping round to the first rows.
/// </summary>
public static class Paging
{
    public const int MaxOffset = 1_000_000_000;

    /// <summary>Checks an offset from a query string: 0 to <see cref="MaxOffset"/>.</summary>
    public static void CheckOffset(int? offset, ValidationErrors errors, string field = "offset")
    {
        if (offset is < 0) errors.Add(field, "offset cannot be negative.");
        else if (offset > MaxOffset) errors.Add(field, $"offset must be at most {MaxOffset:N0}.");
    }

    /// <summary>Checks a 1-based page number at this page size: from 1 to the page that starts at <see cref="MaxOffset"/>.</summary>
    public static void CheckPage(int? page, int pageSize, ValidationErrors errors, string field = "page")
    {
        if (page is < 1) errors.Add(field, "Pages are numbered from 1.");
        else if (page is { } p && pageSize >= 1 && FirstRow(p, pageSize) > MaxOffset)
            errors.Add(field, $"At {pageSize:N0} rows per page, page must be at most {LastPage(pageSize):N0}.");
    }

    /// <summary>The 0-based row a 1-based page starts at, computed without overflow.</summary>
    public static long FirstRow(int page, int pageSize) => ((long)page - 1) * pageSize;

    /// <summary>The highest page number <see cref="CheckPage"/> lets through at this page size.</summary>
    public static int LastPage(int pageSize) => MaxOffset / Math.Max(1, pageSize) + 1;
}
