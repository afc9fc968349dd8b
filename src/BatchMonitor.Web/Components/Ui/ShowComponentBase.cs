using Microsoft.AspNetCore.Components;

namespace BatchMonitor.Web.Components.Ui;

/// <summary>
/// A component that renders again only when what it shows changed. A live page renders up to ten times a second on
/// every open tab, and most of its rows, badges and cards are the same as before: they say so through
/// <see cref="Shows"/> (a value compared with the last one rendered) and skip the work.
/// </summary>
public abstract class ShowComponentBase : ComponentBase
{
    private object? _shown;
    private bool _hasShown;

    /// <summary>Everything the markup depends on, as one comparable value (a tuple, a record, an immutable view).</summary>
    protected abstract object? Shows { get; }

    protected override bool ShouldRender()
    {
        var shows = Shows;
        if (_hasShown && Equals(shows, _shown)) return false;
        _shown = shows;
        _hasShown = true;
        return true;
    }
}
