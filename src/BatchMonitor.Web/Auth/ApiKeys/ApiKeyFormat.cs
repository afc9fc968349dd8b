using System.Security.Cryptography;
using System.Text;

namespace BatchMonitor.Web.Auth.ApiKeys;

/// <summary>How keys look (<c>bm_</c> and 43 URL-safe characters: 256 random bits) and how they are hashed.</summary>
public static class ApiKeyFormat
{
    public const string Header = "X-Api-Key";
    public const int MinLength = 16;
    public const int MaxLength = 256;

    public static string NewKey() => "bm_" + Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>
    /// Enough of a generated key to recognise it in a list (<c>bm_</c> and 7 of its 43 random characters). A key chosen
    /// in configuration gets none: a piece of a short secret would weaken it.
    /// </summary>
    public static string Prefix(string key) => key.StartsWith("bm_", StringComparison.Ordinal) && key.Length >= 40 ? key[..10] : "";

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
