using System.Security.Claims;
using System.Text.Encodings.Web;
using BatchMonitor.Web.Endpoints.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace BatchMonitor.Web.Auth.ApiKeys;

/// <summary>
/// Signs a request in by its <c>X-Api-Key</c> header. Challenges and refusals are problem+json (401, 403, and 429
/// for a wrong key once an address has sent too many wrong keys; a right key is never limited). The key itself is
/// never logged.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyService keys,
    ApiKeyFailureLimiter failures) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string KeyIdClaim = "batchmonitor:api_key_id";

    private TimeSpan? _blockedFor;
    private bool _blocked;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(ApiKeyFormat.Header, out var values)) return AuthenticateResult.NoResult();
        var address = Context.Connection.RemoteIpAddress?.ToString() ?? "local";
        // The key is checked first: the limit is on wrong keys, so a guesser at the same address (a shared proxy, an
        // office) never locks a script with the right key out.
        var identity = values.Count == 1 && values[0] is { } key ? await keys.AuthenticateAsync(key.Trim(), Context.RequestAborted) : null;
        if (identity is null)
        {
            if (failures.IsBlocked(address, out _blockedFor))
            {
                _blocked = true;
                return AuthenticateResult.Fail("Too many wrong API keys from this address.");
            }
            failures.RecordFailure(address);
            Logger.LogInformation("A request from {Address} sent an API key that is unknown, revoked or of a disabled user", address);
            return AuthenticateResult.Fail("The API key is unknown or revoked.");
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, identity.UserId),
            new Claim(ClaimTypes.Name, identity.KeyName),
            new Claim(ClaimTypes.Role, identity.Role),
            new Claim(KeyIdClaim, identity.KeyId.ToString()),
        ], SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (_blocked)
        {
            if (_blockedFor is { } after) Response.Headers.RetryAfter = ((int)Math.Ceiling(after.TotalSeconds)).ToString();
            return ApiProblems.WriteAsync(Context, StatusCodes.Status429TooManyRequests,
                detail: "Too many requests with a wrong API key came from this address; wait a minute.");
        }
        return ApiProblems.WriteAsync(Context, StatusCodes.Status401Unauthorized,
            detail: Request.Headers.ContainsKey(ApiKeyFormat.Header) ? "The API key is unknown or revoked." : null);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiProblems.WriteAsync(Context, StatusCodes.Status403Forbidden, detail: "This API key can only read; changes need an admin key.");
}
