using System.Globalization;

namespace BatchMonitor.Bench;

/// <summary>A benchmark's command-line options: <c>--name value</c>, with a default when absent or not a number.</summary>
internal static class BenchOptions
{
    public static int Int(string[] args, string name, int fallback) =>
        int.TryParse(Text(args, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    public static string? Text(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
