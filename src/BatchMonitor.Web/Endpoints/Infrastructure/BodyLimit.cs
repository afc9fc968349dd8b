using Microsoft.AspNetCore.Http.Metadata;

namespace BatchMonitor.Web.Endpoints.Infrastructure;

/// <summary>
/// The most bytes an API endpoint reads from a request body. Bigger bodies get 413 before anything is read
/// (by Content-Length) or as soon as the limit is passed (chunked bodies); nothing is buffered beyond it.
/// </summary>
public sealed record BodyLimit(long Bytes) : IRequestSizeLimitMetadata
{
    /// <summary>Every API endpoint without a limit of its own: small JSON objects.</summary>
    public static readonly BodyLimit Default = new(1024 * 1024);

    long? IRequestSizeLimitMetadata.MaxRequestBodySize => Bytes;

    public static string Describe(long bytes) =>
        bytes >= 1024 * 1024 ? $"{bytes / (1024.0 * 1024):0.#} MiB" : $"{bytes / 1024.0:0.#} KiB";
}
