using System.Net;
using System.Text.RegularExpressions;
using BatchMonitor.Tests.Support;
using BatchMonitor.Web.Auth.Store;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Web.Auth;

/// <summary>
/// Wrong passwords slow down the address that sends them, for that account only: nobody elsewhere can lock an account
/// out, and the answer (its words and its cost) does not tell whether the account exists.
/// </summary>
public sealed partial class SignInThrottleTests
{
    [Fact]
    public async Task Wrong_passwords_from_one_address_do_not_keep_the_owner_out_from_another()
    {
        await using var app = new BatchMonitorApp();
        await app.InitializeAsync();
        using var attacker = app.From("203.0.113.9");
        for (var i = 0; i < 8; i++) await BatchMonitorApp.PostLoginAsync(attacker, BatchMonitorApp.AdminEmail, $"a-wrong-guess-{i}");

        // The attacker's address is held back even with the right password...
        var held = await BatchMonitorApp.PostLoginAsync(attacker, BatchMonitorApp.AdminEmail, BatchMonitorApp.AdminPassword);
        Assert.Equal(HttpStatusCode.OK, held.StatusCode);
        Assert.Contains("Too many failed sign-ins", ErrorOf(await held.Content.ReadAsStringAsync()));

        // ...while the admin, elsewhere, signs in at once.
        using var owner = app.From("198.51.100.4");
        var signIn = await BatchMonitorApp.PostLoginAsync(owner, BatchMonitorApp.AdminEmail, BatchMonitorApp.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
    }

    [Fact]
    public async Task Repeated_failures_read_the_same_for_a_real_account_and_an_unknown_email()
    {
        await using var app = new BatchMonitorApp();
        await app.InitializeAsync();
        using var client = app.From("203.0.113.10");
        var real = new List<string>();
        var unknown = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            real.Add(ErrorOf(await (await BatchMonitorApp.PostLoginAsync(client, BatchMonitorApp.ViewerEmail, $"a-wrong-guess-{i}")).Content.ReadAsStringAsync()));
            unknown.Add(ErrorOf(await (await BatchMonitorApp.PostLoginAsync(client, "nobody@test.local", $"a-wrong-guess-{i}")).Content.ReadAsStringAsync()));
        }
        Assert.Equal(real, unknown);
        Assert.Contains(real, e => e.Contains("Too many failed sign-ins"));
        Assert.DoesNotContain(real, e => e.Contains("locked", StringComparison.OrdinalIgnoreCase) && e.Contains("account", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Signing_in_with_an_unknown_email_checks_a_password_hash_just_like_a_real_account()
    {
        var hasher = new CountingHasher();
        await using var app = BatchMonitorApp.With(null, services => services.AddSingleton<IPasswordHasher<AppUser>>(hasher));
        await app.InitializeAsync();

        var before = hasher.Verifications;
        await BatchMonitorApp.PostLoginAsync(app.Anonymous(), BatchMonitorApp.ViewerEmail, "a-wrong-guess-1");
        var forRealAccount = hasher.Verifications - before;

        before = hasher.Verifications;
        await BatchMonitorApp.PostLoginAsync(app.Anonymous(), "nobody@test.local", "a-wrong-guess-1");
        var forUnknownEmail = hasher.Verifications - before;

        Assert.Equal(1, forRealAccount);
        Assert.Equal(forRealAccount, forUnknownEmail);
    }

    /// <summary>The text of the sign-in page's error box, or "" when it shows none.</summary>
    private static string ErrorOf(string html) =>
        ErrorBox().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value).Trim() : "";

    [GeneratedRegex("data-testid=\"sign-in-error\"[^>]*>([^<]*)<")]
    private static partial Regex ErrorBox();

    private sealed class CountingHasher : IPasswordHasher<AppUser>
    {
        private readonly PasswordHasher<AppUser> _inner = new();
        private int _verifications;

        public int Verifications => Volatile.Read(ref _verifications);

        public string HashPassword(AppUser user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(AppUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _verifications);
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}
