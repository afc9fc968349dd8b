namespace BatchMonitor.Core.Handlers;

/// <summary>
/// FNV-1a over the inputs with MurmurHash3's finalizer: the same inputs give the same number in every process
/// (unlike string.GetHashCode), and inputs that differ in one bit give unrelated numbers.
/// </summary>
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
            hash ^= hash >> 16;
            hash *= 0x85ebca6bu;
            hash ^= hash >> 13;
            hash *= 0xc2b2ae35u;
            hash ^= hash >> 16;
            return (int)hash;
        }
    }
}
