using System.Security.Cryptography;
using ContactCenter.Azure.Identity;
using ContactCenter.Functions.Security;
using ContactCenter.Integration.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.Integration.Tests.Security;

/// <summary>Bearer tokens to workspace users: Entra ID tokens against a stand-in tenant's keys, and local tokens.</summary>
public sealed class WorkspaceAuthenticatorTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private FakeOpenIdProvider _entra = null!;
    private readonly HttpClient _http = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    public async ValueTask InitializeAsync() => _entra = await FakeOpenIdProvider.StartAsync();

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _entra.DisposeAsync();
    }

    private WorkspaceAuthenticator Entra(Action<AuthOptions>? change = null)
    {
        var options = new AuthOptions { Mode = "entra", TenantId = FakeOpenIdProvider.TenantId, ClientId = FakeOpenIdProvider.ClientId, Audiences = ["api://contoso.example/" + FakeOpenIdProvider.ClientId] };
        change?.Invoke(options);
        return new WorkspaceAuthenticator(new OpenIdTokenValidator(_entra.ConfigurationUri, _http, _time), options);
    }

    private static Task<WorkspaceAuthentication> Check(WorkspaceAuthenticator authenticator, string? token) =>
        authenticator.AuthenticateAsync(token is null ? null : "Bearer " + token, Ct);

    [Fact]
    public async Task A_valid_agent_token_names_the_agent_by_its_sign_in_name_in_lower_case()
    {
        var result = await Check(Entra(), _entra.Token());

        Assert.Equal(200, result.Status);
        Assert.Equal(new WorkspaceUser("ann@contoso.com", "Ann Agent", IsSupervisor: false), result.User);
        Assert.Equal(["Agent"], result.User!.Roles);
    }

    [Fact]
    public async Task The_supervisor_role_makes_a_supervisor_and_oid_can_name_the_agent()
    {
        var result = await Check(Entra(o => o.AgentIdClaim = "oid"), _entra.Token(roles: ["ContactCenter.Supervisor"], objectId: "0F8FAD5B-D9CB-469F-A165-70867728950E"));

        Assert.True(result.User!.IsSupervisor);
        Assert.Equal("0f8fad5b-d9cb-469f-a165-70867728950e", result.User.AgentId);
        Assert.Equal(["Agent", "Supervisor"], result.User.Roles);
    }

    [Fact]
    public async Task Teams_sso_audiences_and_v1_issuer_tokens_are_accepted()
    {
        var authenticator = Entra();
        var byUri = await Check(authenticator, _entra.Token(audience: $"api://{FakeOpenIdProvider.ClientId}"));
        var teams = await Check(authenticator, _entra.Token(audience: $"api://contoso.example/{FakeOpenIdProvider.ClientId}"));
        var v1 = await Check(authenticator, _entra.Token(issuer: $"https://sts.windows.net/{FakeOpenIdProvider.TenantId}/"));

        Assert.Equal([200, 200, 200], new[] { byUri.Status, teams.Status, v1.Status });
    }

    [Fact]
    public async Task Expired_tokens_are_refused_on_the_injected_clock()
    {
        var token = _entra.Token(expires: _time.GetUtcNow().UtcDateTime.AddMinutes(10));
        var authenticator = Entra();
        Assert.Equal(200, (await Check(authenticator, token)).Status);

        _time.Advance(TimeSpan.FromMinutes(12)); // past expiry plus the minute of clock skew
        var result = await Check(authenticator, token);

        Assert.Equal(401, result.Status);
        Assert.Equal("The token has expired.", result.Failure);
    }

    public static TheoryData<string, string> Forgeries => new()
    {
        { "audience", "The token is for another audience." },
        { "issuer", "The token has an unexpected issuer." },
        { "key", "The token's signature is not valid." },
        { "garbage", "The token is malformed." },
    };

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task Tokens_for_someone_else_or_signed_by_another_key_are_refused(string wrong, string reason)
    {
        using var otherKey = RSA.Create(2048);
        var token = wrong switch
        {
            "audience" => _entra.Token(audience: "api://another-app"),
            "issuer" => _entra.Token(issuer: "https://login.microsoftonline.com/another-tenant/v2.0"),
            "key" => _entra.Token(signingKey: otherKey),
            _ => "not-a-jwt",
        };

        var result = await Check(Entra(), token);

        Assert.Equal(401, result.Status);
        Assert.Null(result.User);
        Assert.Equal(reason, result.Failure);
    }

    [Fact]
    public async Task A_valid_token_without_a_contact_center_role_is_forbidden_and_no_token_is_unauthorized()
    {
        var noRole = await Check(Entra(), _entra.Token(roles: []));
        var otherRole = await Check(Entra(), _entra.Token(roles: ["Finance.Reader"]));
        var none = await Check(Entra(), null);

        Assert.Equal(403, noRole.Status);
        Assert.Contains("ContactCenter.Agent", noRole.Failure, StringComparison.Ordinal);
        Assert.Equal(403, otherRole.Status);
        Assert.Equal(401, none.Status);
    }

    [Fact]
    public async Task Local_tokens_work_only_with_the_issuer_of_this_run_and_expire()
    {
        var issuer = new LocalTokenIssuer(_time, TimeSpan.FromHours(1));
        var local = new WorkspaceAuthenticator(issuer);
        var token = issuer.Issue("ann", supervisor: false, "Ann").AccessToken;
        var fromAnotherRun = new LocalTokenIssuer(_time, TimeSpan.FromHours(1)).Issue("ann", supervisor: true).AccessToken;

        var valid = await Check(local, token);
        var forged = await Check(local, fromAnotherRun);
        var entraToken = await Check(local, _entra.Token());
        _time.Advance(TimeSpan.FromMinutes(61));
        var expired = await Check(local, token);

        Assert.Equal(new WorkspaceUser("ann", "Ann", false), valid.User);
        Assert.Equal(401, forged.Status);
        Assert.Equal(401, entraToken.Status);
        Assert.Equal(401, expired.Status);
        Assert.Throws<ArgumentException>(() => issuer.Issue("a/b", supervisor: false));
    }
}
