namespace BatchMonitor.Web.Auth.Users;

/// <summary><c>POST /api/v1/users</c>: the email (the user name), a password and the role (admin or viewer).</summary>
public sealed record CreateUserRequest(string? Email, string? Password, string? Role);

/// <summary><c>PATCH /api/v1/users/{id}</c>: what to change; a field left out stays as it is.</summary>
public sealed record PatchUserRequest(string? Role, bool? Disabled);
