using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.RenderTree;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

// A renderer is built on the render tree types; that is what BL0006 warns about, and what TOOLCHAIN.md asks for.
#pragma warning disable BL0006

namespace BatchMonitor.Tests.Support;

/// <summary>
/// Renders components in a test, the way bunit does, on our own small <see cref="Renderer"/> (bunit cannot be restored
/// here: TOOLCHAIN.md). The vocabulary is bunit's (<c>Render&lt;T&gt;</c>, <c>Find</c>, <c>Click</c>,
/// <c>WaitForAssertion</c>), so moving to bunit later is a rename. One context is one circuit: one DI scope, one
/// dispatcher, interactive.
/// </summary>
public sealed class ComponentTestContext : IAsyncDisposable
{
    private readonly AsyncServiceScope _scope;
    private readonly TestRenderer _renderer;

    public ComponentTestContext(IServiceProvider services)
    {
        _scope = services.CreateAsyncScope();
        _renderer = new TestRenderer(_scope.ServiceProvider, services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance);
    }

    /// <summary>This circuit's services (scoped ones are this circuit's own).</summary>
    public IServiceProvider Services => _scope.ServiceProvider;

    public Dispatcher Dispatcher => _renderer.Dispatcher;

    /// <summary>Renders <typeparamref name="T"/> as a root component and waits until it has settled.</summary>
    public async Task<RenderedComponent<T>> RenderAsync<T>(Action<ParameterBuilder>? parameters = null) where T : IComponent
    {
        var builder = new ParameterBuilder();
        parameters?.Invoke(builder);
        return await _renderer.Dispatcher.InvokeAsync(async () =>
        {
            var component = (T)_renderer.Instantiate(typeof(T));
            var id = _renderer.AssignRootId(component);
            var rendered = new RenderedComponent<T>(_renderer, id, component);
            await _renderer.RenderRootAsync(id, builder.Build());
            return rendered;
        });
    }

    /// <summary>bunit's name; renders synchronously from the test's point of view.</summary>
    public RenderedComponent<T> Render<T>(Action<ParameterBuilder>? parameters = null) where T : IComponent =>
        RenderAsync<T>(parameters).GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        await _renderer.Dispatcher.InvokeAsync(() => _renderer.Dispose());
        await _scope.DisposeAsync();
    }
}

/// <summary>Parameters for a root component: <c>p.Add("Id", id)</c>.</summary>
public sealed class ParameterBuilder
{
    private readonly Dictionary<string, object?> _values = [];

    public ParameterBuilder Add(string name, object? value)
    {
        _values[name] = value;
        return this;
    }

    public ParameterView Build() => ParameterView.FromDictionary(_values);
}

/// <summary>A rendered root component: its markup as of now, its elements, how often it rendered.</summary>
public sealed class RenderedComponent<T> : IDisposable where T : IComponent
{
    private readonly TestRenderer _renderer;
    private bool _disposed;

    internal RenderedComponent(TestRenderer renderer, int componentId, T instance)
    {
        _renderer = renderer;
        ComponentId = componentId;
        Instance = instance;
    }

    public int ComponentId { get; }

    public T Instance { get; }

    /// <summary>How many times the component itself rendered (children not counted).</summary>
    public int RenderCount => _renderer.RenderCountOf(ComponentId);

    /// <summary>The component's current markup, children included.</summary>
    public string Markup => Snapshot().ToHtml();

    public TestNode.Element Snapshot() => _renderer.Dispatcher.InvokeAsync(() => _renderer.BuildTree(ComponentId)).GetAwaiter().GetResult();

    /// <summary>The first element matching a CSS selector (tag, #id, .class, [attr], [attr=value], descendant and child combinators).</summary>
    public TestElement Find(string selector) =>
        FindAll(selector).FirstOrDefault()
        ?? throw new ElementNotFoundException($"No element matches '{selector}'. Markup:\n{Markup}");

    public IReadOnlyList<TestElement> FindAll(string selector) => FindAll(selector, _ => true);

    /// <summary>The first button whose text is <paramref name="text"/> (trimmed).</summary>
    public TestElement FindButton(string text) =>
        FindAll("button", b => b.TextContent.Trim() == text).FirstOrDefault()
        ?? throw new ElementNotFoundException($"No button says '{text}'. Markup:\n{Markup}");

    /// <summary>The n-th match stays the n-th match: that is how an element is found again when an event goes to it.</summary>
    private List<TestElement> FindAll(string selector, Func<TestNode.Element, bool> filter) =>
        Snapshot().QuerySelectorAll(selector).Where(filter)
            .Select((e, n) => new TestElement(_renderer, e, () => _renderer.BuildTree(ComponentId).QuerySelectorAll(selector).Where(filter).ElementAtOrDefault(n)))
            .ToList();

    /// <summary>Retries <paramref name="assertion"/> as the component renders, until it passes or the time is up.</summary>
    public void WaitForAssertion(Action assertion, TimeSpan? timeout = null) =>
        WaitForAssertionAsync(assertion, timeout).GetAwaiter().GetResult();

    public async Task WaitForAssertionAsync(Action assertion, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            _renderer.ThrowIfFailed();
            try
            {
                assertion();
                return;
            }
            catch (Exception) when (watch.Elapsed < (timeout ?? Wait.Limit))
            {
                await Task.Delay(5);
            }
        }
    }

    public void WaitForState(Func<bool> condition, TimeSpan? timeout = null) =>
        WaitForAssertion(() => Assert.True(condition(), "The condition did not become true."), timeout);

    /// <summary>Runs something on the component's dispatcher (as the circuit would).</summary>
    public Task InvokeAsync(Action action) => _renderer.Dispatcher.InvokeAsync(action);

    /// <summary>Removes the component, as a navigation away would: it and its children are disposed.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _renderer.Dispatcher.InvokeAsync(() => _renderer.RemoveRoot(ComponentId)).GetAwaiter().GetResult();
        _renderer.ThrowIfFailed();
    }
}

public sealed class ElementNotFoundException(string message) : Exception(message);

/// <summary>The renderer: keeps render trees, counts renders per component, records what failed.</summary>
internal sealed class TestRenderer(IServiceProvider services, ILoggerFactory loggers) : Renderer(services, loggers)
{
    private readonly ConcurrentDictionary<int, int> _renders = new();
    private readonly ConcurrentQueue<Exception> _failures = new();

    public override Dispatcher Dispatcher { get; } = Dispatcher.CreateDefault();

    protected override RendererInfo RendererInfo { get; } = new("Test", isInteractive: true);

    public IComponent Instantiate(Type type) => InstantiateComponent(type);

    public int AssignRootId(IComponent component) => AssignRootComponentId(component);

    public Task RenderRootAsync(int id, ParameterView parameters) => RenderRootComponentAsync(id, parameters);

    public void RemoveRoot(int id) => RemoveRootComponent(id);

    public int RenderCountOf(int componentId) => _renders.GetValueOrDefault(componentId);

    public void ThrowIfFailed()
    {
        if (_failures.TryPeek(out var failure)) throw new InvalidOperationException("A component failed.", failure);
    }

    protected override void HandleException(Exception exception) => _failures.Enqueue(exception);

    protected override Task UpdateDisplayAsync(in RenderBatch renderBatch)
    {
        var updated = renderBatch.UpdatedComponents;
        for (var i = 0; i < updated.Count; i++)
        {
            var id = updated.Array[i].ComponentId;
            _renders.AddOrUpdate(id, 1, (_, n) => n + 1);
        }
        return Task.CompletedTask;
    }

    /// <summary>The DOM a browser would hold for a component: its frames, and its children's, as nodes.</summary>
    public TestNode.Element BuildTree(int componentId)
    {
        var root = new TestNode.Element("#root", [], null);
        AddFrames(GetCurrentRenderTreeFrames(componentId), 0, int.MaxValue, root);
        return root;
    }

    private int AddFrames(ArrayRange<RenderTreeFrame> frames, int start, int end, TestNode.Element parent)
    {
        var i = start;
        while (i < Math.Min(end, frames.Count))
        {
            ref var frame = ref frames.Array[i];
            switch (frame.FrameType)
            {
                case RenderTreeFrameType.Element:
                    var element = new TestNode.Element(frame.ElementName, [], parent);
                    var subtreeEnd = i + frame.ElementSubtreeLength;
                    var child = i + 1;
                    for (; child < subtreeEnd && frames.Array[child].FrameType == RenderTreeFrameType.Attribute; child++)
                    {
                        ref var attribute = ref frames.Array[child];
                        if (attribute.AttributeEventHandlerId != 0)
                            element.Events[attribute.AttributeName] = attribute.AttributeEventHandlerId;
                        else if (attribute.AttributeValue is string or bool or IFormattable)
                            element.Attributes[attribute.AttributeName] = attribute.AttributeValue is bool ? "" : Convert.ToString(attribute.AttributeValue, System.Globalization.CultureInfo.InvariantCulture)!;
                    }
                    parent.Children.Add(element);
                    AddFrames(frames, child, subtreeEnd, element);
                    i = subtreeEnd;
                    break;
                case RenderTreeFrameType.Text:
                    parent.Children.Add(new TestNode.Text(frame.TextContent));
                    i++;
                    break;
                case RenderTreeFrameType.Markup:
                    // Razor turns static HTML into one markup frame; a browser would parse it, so do we.
                    HtmlFragment.Parse(frame.MarkupContent, parent);
                    i++;
                    break;
                case RenderTreeFrameType.Component:
                    AddFrames(GetCurrentRenderTreeFrames(frame.ComponentId), 0, int.MaxValue, parent);
                    i += frame.ComponentSubtreeLength;
                    break;
                case RenderTreeFrameType.Region:
                    AddFrames(frames, i + 1, i + frame.RegionSubtreeLength, parent);
                    i += frame.RegionSubtreeLength;
                    break;
                default:
                    i++;
                    break;
            }
        }
        return i;
    }
}
