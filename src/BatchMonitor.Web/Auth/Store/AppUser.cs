using Microsoft.AspNetCore.Identity;

namespace BatchMonitor.Web.Auth.Store;

/// <summary>A person who signs in. The email is the user name; the one role (admin or viewer) is an Identity role.</summary>
public sealed class AppUser : IdentityUser
{
    /// <summary>A disabled user cannot sign in, their sessions end, and their API keys stop working.</summary>
    public bool Disabled { get; set; }

    public DateTime CreatedAt { get; set; }
}
