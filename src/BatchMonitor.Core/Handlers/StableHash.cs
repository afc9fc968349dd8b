namespace BatchMonitor.Core.Handlers;

/// <summary>FNV-1a: the same inputs give the same seed in every process (unlike string.GetHashCode).</summary>
public static class StableHash
{
    public static int Combine(int seed, string text, int salt)
    {
        unchecked
        {
            var hash = 2166136261u ^ (uint)seed;
            foreach (var c in text)
            {
                hash = (hash ^ c) * 16777619u;
            }
            hash = (hash ^ (uint)salt) * 16777619u;
            return (int)hash;
        }
    }
}
