using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

// A renderer is built on the render tree types; that is what BL0006 warns about, and what TOOLCHAIN.md asks for.
#pragma warning disable BL0006

namespace BatchMonitor.Tests.Support;

/// <summary>A node of the markup a component rendered (a snapshot: it does not change after it was taken).</summary>
public abstract record TestNode
{
    public sealed record Text(string Content) : TestNode;

    /// <summary>Raw markup (a MarkupString): kept as text, not searchable as elements.</summary>
    public sealed record Markup(string Content) : TestNode;

    public sealed record Element(string Name, List<TestNode> Children, Element? Parent) : TestNode
    {
        public Dictionary<string, string> Attributes { get; } = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>Event name (onclick) → the renderer's handler id.</summary>
        public Dictionary<string, ulong> Events { get; } = new(StringComparer.OrdinalIgnoreCase);

        public IEnumerable<Element> Descendants()
        {
            foreach (var child in Children.OfType<Element>())
            {
                yield return child;
                foreach (var descendant in child.Descendants()) yield return descendant;
            }
        }

        public IEnumerable<Element> QuerySelectorAll(string selector)
        {
            var parsed = Selector.Parse(selector);
            return Descendants().Where(parsed.Matches);
        }

        public string TextContent => string.Concat(Children.Select(c => c switch
        {
            Text t => t.Content,
            Element e => e.TextContent,
            Markup m => Regex.Replace(m.Content, "<[^>]*>", ""),
            _ => "",
        }));
    }

    public string ToHtml()
    {
        var html = new StringBuilder();
        Write(this, html);
        return html.ToString();
    }

    private static void Write(TestNode node, StringBuilder html)
    {
        switch (node)
        {
            case Text text:
                html.Append(WebUtility.HtmlEncode(text.Content));
                break;
            case Markup markup:
                html.Append(markup.Content);
                break;
            case Element { Name: "#root" } root:
                foreach (var child in root.Children) Write(child, html);
                break;
            case Element element:
                html.Append('<').Append(element.Name);
                foreach (var (name, value) in element.Attributes)
                {
                    html.Append(' ').Append(name);
                    if (value.Length > 0) html.Append("=\"").Append(WebUtility.HtmlEncode(value)).Append('"');
                }
                foreach (var (name, id) in element.Events) html.Append(" blazor:").Append(name).Append("=\"").Append(id).Append('"');
                html.Append('>');
                foreach (var child in element.Children) Write(child, html);
                html.Append("</").Append(element.Name).Append('>');
                break;
        }
    }
}

/// <summary>
/// An element found in a rendered component, with what a test does to it (bunit's Click, Change, Input).
/// Its text and attributes are a snapshot; an event goes to the element as the component renders it at that moment
/// (found again the way it was found first), so a render between Find and Click does not leave a stale handler.
/// </summary>
public sealed class TestElement
{
    private readonly TestRenderer _renderer;
    private readonly Func<TestNode.Element?> _current;

    /// <param name="current">Finds the element again in the latest render; called on the renderer's dispatcher.</param>
    internal TestElement(TestRenderer renderer, TestNode.Element node, Func<TestNode.Element?> current)
    {
        _renderer = renderer;
        Node = node;
        _current = current;
    }

    public TestNode.Element Node { get; }

    public string TagName => Node.Name;

    public string TextContent => Node.TextContent;

    public string? GetAttribute(string name) => Node.Attributes.GetValueOrDefault(name);

    public bool HasAttribute(string name) => Node.Attributes.ContainsKey(name);

    public bool IsDisabled => HasAttribute("disabled");

    public string OuterHtml => Node.ToHtml();

    /// <summary>Clicks, and returns once the handler ran up to its first await (as bunit does); the page may still be busy.</summary>
    public void Click() => Dispatch("onclick", new MouseEventArgs { Detail = 1, Button = 0 });

    /// <summary>Clicks and waits for the handler to finish.</summary>
    public Task ClickAsync() => DispatchAsync("onclick", new MouseEventArgs { Detail = 1, Button = 0 });

    public void Change(object? value) => Dispatch("onchange", new ChangeEventArgs { Value = value });

    /// <summary>Changes the value and waits for the handler to finish.</summary>
    public Task ChangeAsync(object? value) => DispatchAsync("onchange", new ChangeEventArgs { Value = value });

    public void Input(object? value) => Dispatch("oninput", new ChangeEventArgs { Value = value });

    public void Submit() => Dispatch("onsubmit", EventArgs.Empty);

    public void Dispatch(string eventName, EventArgs args)
    {
        var handler = Start(eventName, args);
        if (handler.IsFaulted) handler.GetAwaiter().GetResult();
        _renderer.ThrowIfFailed();
    }

    public async Task DispatchAsync(string eventName, EventArgs args)
    {
        await Start(eventName, args);
        _renderer.ThrowIfFailed();
    }

    private Task Start(string eventName, EventArgs args)
    {
        Task handler = Task.CompletedTask;
        _renderer.Dispatcher.InvokeAsync(() =>
        {
            // On the dispatcher, nothing renders between finding the handler and dispatching to it.
            // Found again if it can be (its text may have changed since); otherwise the element as it was found.
            var node = _current() ?? Node;
            if (!node.Events.TryGetValue(eventName, out var id))
                throw new InvalidOperationException($"<{node.Name}> has no {eventName} handler: {node.ToHtml()}");
            handler = _renderer.DispatchEventAsync(id, null, args);
        }).GetAwaiter().GetResult();
        return handler;
    }

    public override string ToString() => OuterHtml;
}

/// <summary>Enough CSS selectors for tests: compounds of tag, #id, .class and [attr], [attr=v], [attr^=v], [attr*=v], with ' ' and '>' between them.</summary>
internal sealed partial class Selector
{
    private readonly List<(Compound Compound, bool Child)> _steps;

    private Selector(List<(Compound, bool)> steps) => _steps = steps;

    public static Selector Parse(string text)
    {
        var steps = new List<(Compound, bool)>();
        var child = false;
        foreach (Match token in Tokens().Matches(text))
        {
            if (token.Value == ">")
            {
                child = true;
                continue;
            }
            steps.Add((Compound.Parse(token.Value), child));
            child = false;
        }
        return new Selector(steps);
    }

    public bool Matches(TestNode.Element element) => Matches(element, _steps.Count - 1);

    private bool Matches(TestNode.Element? element, int step)
    {
        if (element is null || !_steps[step].Compound.Matches(element)) return false;
        if (step == 0) return true;
        var ancestor = element.Parent;
        if (_steps[step].Child) return ancestor is not null && Matches(ancestor, step - 1);
        for (; ancestor is not null; ancestor = ancestor.Parent)
        {
            if (Matches(ancestor, step - 1)) return true;
        }
        return false;
    }

    [GeneratedRegex("""(?:[^\s>\[]+|\[[^\]]*\])+|>""")]
    private static partial Regex Tokens();

    private sealed partial class Compound
    {
        private string? _tag;
        private readonly List<Func<TestNode.Element, bool>> _tests = [];

        public static Compound Parse(string text)
        {
            var compound = new Compound();
            foreach (Match part in Parts().Matches(text))
            {
                var value = part.Value;
                switch (value[0])
                {
                    case '#':
                        compound._tests.Add(e => e.Attributes.GetValueOrDefault("id") == value[1..]);
                        break;
                    case '.':
                        compound._tests.Add(e => e.Attributes.GetValueOrDefault("class")?.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                            .Contains(value[1..]) == true);
                        break;
                    case '[':
                        var attribute = Attribute().Match(value);
                        var name = attribute.Groups["name"].Value;
                        var op = attribute.Groups["op"].Value;
                        var expected = attribute.Groups["value"].Value.Trim('\'', '"');
                        compound._tests.Add(e => e.Attributes.TryGetValue(name, out var actual) && op switch
                        {
                            "" => true,
                            "=" => actual == expected,
                            "^=" => actual.StartsWith(expected, StringComparison.Ordinal),
                            "*=" => actual.Contains(expected, StringComparison.Ordinal),
                            _ => false,
                        });
                        break;
                    default:
                        compound._tag = value;
                        break;
                }
            }
            return compound;
        }

        public bool Matches(TestNode.Element element) =>
            (_tag is null || _tag == "*" || string.Equals(_tag, element.Name, StringComparison.OrdinalIgnoreCase))
            && _tests.TrueForAll(test => test(element));

        [GeneratedRegex("""\[[^\]]*\]|[#.]?[^#.\[]+""")]
        private static partial Regex Parts();

        [GeneratedRegex("""^\[(?<name>[^\]=^*]+)(?:(?<op>\^=|\*=|=)(?<value>.*))?\]$""")]
        private static partial Regex Attribute();
    }
}

/// <summary>Parses the static HTML Razor emits as markup frames into nodes (well-formed markup; void elements; comments).</summary>
internal static partial class HtmlFragment
{
    private static readonly HashSet<string> VoidElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
    };

    public static void Parse(string html, TestNode.Element parent)
    {
        var current = parent;
        var i = 0;
        while (i < html.Length)
        {
            if (html.AsSpan(i).StartsWith("<!--"))
            {
                var end = html.IndexOf("-->", i + 4, StringComparison.Ordinal);
                i = end < 0 ? html.Length : end + 3;
                continue;
            }
            if (html[i] == '<' && i + 1 < html.Length && html[i + 1] == '/')
            {
                var end = html.IndexOf('>', i);
                var name = html[(i + 2)..end].Trim();
                for (var open = current; open is not null && open != parent; open = open.Parent)
                {
                    if (!string.Equals(open.Name, name, StringComparison.OrdinalIgnoreCase)) continue;
                    current = open.Parent ?? parent;
                    break;
                }
                i = end + 1;
                continue;
            }
            if (html[i] == '<' && i + 1 < html.Length && char.IsLetter(html[i + 1]))
            {
                var tag = Tag().Match(html, i);
                var element = new TestNode.Element(tag.Groups["name"].Value.ToLowerInvariant(), [], current);
                foreach (Match attribute in Attributes().Matches(tag.Groups["attributes"].Value))
                {
                    var value = attribute.Groups["dq"].Success ? attribute.Groups["dq"].Value
                        : attribute.Groups["sq"].Success ? attribute.Groups["sq"].Value
                        : attribute.Groups["bare"].Value;
                    element.Attributes[attribute.Groups["name"].Value] = WebUtility.HtmlDecode(value);
                }
                current.Children.Add(element);
                if (!tag.Groups["self"].Success && !VoidElements.Contains(element.Name)) current = element;
                i += tag.Length;
                continue;
            }
            var next = html.IndexOf('<', i + 1);
            if (next < 0) next = html.Length;
            current.Children.Add(new TestNode.Text(WebUtility.HtmlDecode(html[i..next])));
            i = next;
        }
    }

    [GeneratedRegex("""\G<(?<name>[A-Za-z][\w:-]*)(?<attributes>(?:\s+[^\s=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*(?<self>/)?>""")]
    private static partial Regex Tag();

    [GeneratedRegex("""(?<name>[^\s=/>]+)(?:\s*=\s*(?:"(?<dq>[^"]*)"|'(?<sq>[^']*)'|(?<bare>[^\s>]+)))?""")]
    private static partial Regex Attributes();
}
