using System.Text.Json;
using System.Text.Json.Serialization;
using ContactCenter.Core.Audit;

namespace ContactCenter.Functions.Security;

public sealed record AuthConfigView(string Mode, string? TenantId, string? ClientId, IReadOnlyList<string> Scopes);

public sealed record LocalTokenRequest(string? AgentId, string? Name, bool? Supervisor);

public sealed record LocalTokenView(string AccessToken, DateTimeOffset ExpiresOn, string AgentId, IReadOnlyList<string> Roles);

public sealed record MeView(string AgentId, string? Name, IReadOnlyList<string> Roles, string Mode);

public sealed record AuditView(DateTimeOffset From, DateTimeOffset To, string? AgentId, IReadOnlyList<AuditEntry> Entries);

/// <summary>Source-generated JSON (camelCase) for the sign-in and audit endpoints.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(AuthConfigView))]
[JsonSerializable(typeof(LocalTokenRequest))]
[JsonSerializable(typeof(LocalTokenView))]
[JsonSerializable(typeof(MeView))]
[JsonSerializable(typeof(AuditView))]
internal sealed partial class SecurityJsonContext : JsonSerializerContext;
