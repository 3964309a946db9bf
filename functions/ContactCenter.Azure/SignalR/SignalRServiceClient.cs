using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Core;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ContactCenter.Azure.SignalR;

/// <summary>
/// An Azure SignalR Service connection: its endpoint and either the access key from a connection string
/// (<c>Endpoint=https://x.service.signalr.net;AccessKey=...;Version=1.0;</c>) or an Entra ID credential.
/// </summary>
public sealed record SignalRConnection(Uri Endpoint, string? AccessKey, TokenCredential? Credential = null)
{
    public static SignalRConnection Parse(string connectionString)
    {
        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
        if (!parts.TryGetValue("Endpoint", out var endpoint) || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
        {
            throw new FormatException("A SignalR connection string needs Endpoint=https://<name>.service.signalr.net.");
        }
        if (parts.TryGetValue("Port", out var port) && int.TryParse(port, out var number))
        {
            uri = new UriBuilder(uri) { Port = number }.Uri;
        }
        return new SignalRConnection(new Uri(uri.GetLeftPart(UriPartial.Authority)), parts.GetValueOrDefault("AccessKey"));
    }
}

/// <summary>The client's connection info: where to connect and the token for it (what a SignalR client's negotiate reads).</summary>
public sealed record SignalRClientInfo(string Url, string AccessToken);

/// <summary>One SignalR invocation: the client method (target) and its arguments.</summary>
public sealed record SignalRInvocation(string Target, IReadOnlyList<JsonElement> Arguments);

/// <summary>
/// A thin client for Azure SignalR Service in serverless mode: client access tokens (JWT for the audience
/// <c>{endpoint}/client/?hub={hub}</c>, user id in <c>nameid</c>, HS256 with the access key) and the data-plane REST
/// API v1 (send to a user or group, add a user to a group), authorized by a JWT for the request URL or by Entra ID.
/// Written by hand: the NuGet feed serves no Azure SignalR management SDK.
/// </summary>
public sealed class SignalRServiceClient(SignalRConnection connection, HttpClient http, TimeProvider? timeProvider = null)
{
    private const string EntraScope = "https://signalr.azure.com/.default";
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public Uri Endpoint => connection.Endpoint;

    public string ClientUrl(string hub) => $"{connection.Endpoint.AbsoluteUri.TrimEnd('/')}/client/?hub={Uri.EscapeDataString(hub)}";

    /// <summary>Connection info for one user: a locally signed token with a key, else one the service issues (Entra ID).</summary>
    public async Task<SignalRClientInfo> ClientInfoAsync(string hub, string userId, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        var url = ClientUrl(hub);
        if (connection.AccessKey is not null)
        {
            return new SignalRClientInfo(url, Token(url, lifetime, new Claim("nameid", userId)));
        }
        var minutes = Math.Max(1, (int)Math.Ceiling(lifetime.TotalMinutes));
        var path = $"/api/hubs/{Uri.EscapeDataString(hub)}/:generateToken?api-version=2022-11-01&userId={Uri.EscapeDataString(userId)}&minutesToExpire={minutes}";
        using var response = await SendAsync(HttpMethod.Post, path, content: null, cancellationToken);
        var token = await response.Content.ReadFromJsonAsync(SignalRJsonContext.Default.GeneratedToken, cancellationToken);
        return new SignalRClientInfo(url, token?.Token ?? throw new InvalidOperationException("SignalR Service returned no token."));
    }

    public Task SendToUserAsync(string hub, string userId, SignalRInvocation message, CancellationToken cancellationToken = default) =>
        PostAsync($"/api/v1/hubs/{Uri.EscapeDataString(hub)}/users/{Uri.EscapeDataString(userId)}", message, cancellationToken);

    public Task SendToGroupAsync(string hub, string group, SignalRInvocation message, CancellationToken cancellationToken = default) =>
        PostAsync($"/api/v1/hubs/{Uri.EscapeDataString(hub)}/groups/{Uri.EscapeDataString(group)}", message, cancellationToken);

    /// <summary>Adds a user (all their connections, present and future) to a group.</summary>
    public async Task AddUserToGroupAsync(string hub, string group, string userId, CancellationToken cancellationToken = default)
    {
        using var _ = await SendAsync(HttpMethod.Put, $"/api/v1/hubs/{Uri.EscapeDataString(hub)}/groups/{Uri.EscapeDataString(group)}/users/{Uri.EscapeDataString(userId)}", null, cancellationToken);
    }

    private async Task PostAsync(string path, SignalRInvocation message, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(new RestMessage(message.Target, message.Arguments), SignalRJsonContext.Default.RestMessage);
        using var _ = await SendAsync(HttpMethod.Post, path, new StringContent(body, Encoding.UTF8, "application/json"), cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string pathAndQuery, HttpContent? content, CancellationToken cancellationToken)
    {
        var uri = new Uri(connection.Endpoint, pathAndQuery);
        using var request = new HttpRequestMessage(method, uri) { Content = content };
        request.Headers.Authorization = new("Bearer", await AuthorizationAsync(uri, cancellationToken));
        var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var status = (int)response.StatusCode;
            response.Dispose();
            throw new global::Azure.RequestFailedException(status, $"SignalR Service answered {status} to {method} {uri.AbsolutePath}.");
        }
        return response;
    }

    private async Task<string> AuthorizationAsync(Uri uri, CancellationToken cancellationToken)
    {
        if (connection.AccessKey is not null)
        {
            // The REST API's audience is the request URL without its query.
            return Token(uri.GetLeftPart(UriPartial.Path), TimeSpan.FromMinutes(5));
        }
        var credential = connection.Credential ?? throw new InvalidOperationException("A SignalR connection needs an access key or a credential.");
        return (await credential.GetTokenAsync(new TokenRequestContext([EntraScope]), cancellationToken)).Token;
    }

    private string Token(string audience, TimeSpan lifetime, params Claim[] claims)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Audience = audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            Subject = new ClaimsIdentity(claims),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(connection.AccessKey!)), SecurityAlgorithms.HmacSha256),
        });
    }

    internal sealed record RestMessage(string Target, IReadOnlyList<JsonElement> Arguments);

    internal sealed record GeneratedToken(string? Token);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SignalRServiceClient.RestMessage))]
[JsonSerializable(typeof(SignalRServiceClient.GeneratedToken))]
internal sealed partial class SignalRJsonContext : JsonSerializerContext;
