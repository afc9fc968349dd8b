using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;

namespace BatchMonitor.Tests.Components;

/// <summary>What the component tests ask of rendered markup beyond bunit's own queries.</summary>
internal static class ComponentQueries
{
    /// <summary>The first button whose text is <paramref name="text"/> (trimmed).</summary>
    public static IElement FindButton<T>(this IRenderedComponent<T> rendered, string text) where T : IComponent =>
        rendered.FindAll("button").FirstOrDefault(b => b.TextContent.Trim() == text)
        ?? throw new ElementNotFoundException($"button '{text}'");

    public static bool IsDisabled(this IElement element) => element.HasAttribute("disabled");

    /// <summary>Waits until the page has read what it shows (its MudSkeleton placeholder, marked data-loading or .bm-loading, is gone).</summary>
    public static void WaitUntilLoaded<T>(this IRenderedComponent<T> rendered) where T : IComponent =>
        rendered.WaitForState(() => rendered.FindAll("[data-loading], .bm-loading").Count == 0);
}
