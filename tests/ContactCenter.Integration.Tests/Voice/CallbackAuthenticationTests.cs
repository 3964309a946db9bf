using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ContactCenter.Azure.Communication;
using ContactCenter.Core.Voice;
using ContactCenter.Functions.Configuration;
using ContactCenter.Functions.Voice;
using ContactCenter.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ContactCenter.Integration.Tests.Voice;

/// <summary>The per-call signature and the JWT together, as the callback endpoint uses them, and their settings.</summary>
public sealed class CallbackAuthenticationTests : IAsyncLifetime
{
    private const string Audience = "acs-resource-immutable-id";
    private const string Issuer = "https://acscallautomation.communication.azure.com";
    private static readonly string Secret = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray());

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly RSA _key = RSA.Create(2048);
    private readonly HttpClient _http = new();
    private WebApplication _openId = null!;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _openId = builder.Build();
        var parameters = _key.ExportParameters(false);
        _openId.MapGet("/config", (HttpContext c) => Results.Text(
            $$"""{"issuer":"{{Issuer}}","jwks_uri":"http://{{c.Request.Host}}/keys"}""", "application/json"));
        _openId.MapGet("/keys", () => Results.Text(
            $$"""{"keys":[{"kty":"RSA","kid":"k1","use":"sig","n":"{{Base64UrlEncoder.Encode(parameters.Modulus)}}","e":"{{Base64UrlEncoder.Encode(parameters.Exponent)}}"}]}""", "application/json"));
        await _openId.StartAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _openId.StopAsync(CancellationToken.None);
        await _openId.DisposeAsync();
        _http.Dispose();
        _key.Dispose();
    }

    private Uri OpenIdUri => new(new Uri(_openId.Urls.First()), "/config");

    private string Token(string audience = Audience) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Issuer,
        Audience = audience,
        Subject = new ClaimsIdentity([new Claim("sub", "acs")]),
        Expires = DateTime.UtcNow.AddMinutes(5),
        SigningCredentials = new SigningCredentials(new RsaSecurityKey(_key) { KeyId = "k1" }, SecurityAlgorithms.RsaSha256),
    });

    private static HttpRequest Callback(Uri callbackUri, string? authorization = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Path = callbackUri.AbsolutePath;
        context.Request.QueryString = new QueryString(callbackUri.Query);
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }
        return context.Request;
    }

    private CallbackAuthentication WithJwt(CallbackSignature signature) =>
        new(signature, new CallbackTokenValidator(new CallbackTokenValidatorOptions(OpenIdUri, Audience), _http));

    [Fact]
    public async Task With_only_the_secret_a_signed_callback_uri_authenticates_its_call()
    {
        var signature = CallbackSignature.FromBase64(Secret);
        var authentication = new CallbackAuthentication(signature);
        var uri = authentication.CallbackUri(new Uri("https://cc.example.com"), "call-7");

        var result = await authentication.AuthenticateAsync(Callback(uri), Ct);

        Assert.False(authentication.ValidatesTokens);
        Assert.True(result.Succeeded);
        Assert.Equal("call-7", result.CallId);
    }

    [Fact]
    public async Task A_forged_or_missing_signature_is_401_even_with_a_valid_token()
    {
        var signature = CallbackSignature.FromBase64(Secret);
        var authentication = WithJwt(signature);
        var other = new CallbackSignature(RandomNumberGenerator.GetBytes(32)).CallbackUri(new Uri("https://cc.example.com"), "call-7");

        var forged = await authentication.AuthenticateAsync(Callback(other, $"Bearer {Token()}"), Ct);
        var missing = await authentication.AuthenticateAsync(Callback(new Uri("https://cc.example.com/api/calls/events?call=call-7"), $"Bearer {Token()}"), Ct);

        Assert.Equal((false, 401), (forged.Succeeded, forged.StatusCode));
        Assert.Equal("The callback signature does not match the call.", forged.Failure);
        Assert.Equal("The callback URI has no signature.", missing.Failure);
    }

    [Fact]
    public async Task With_the_jwt_on_a_signed_uri_also_needs_a_valid_token()
    {
        var signature = CallbackSignature.FromBase64(Secret);
        var authentication = WithJwt(signature);
        var uri = signature.CallbackUri(new Uri("https://cc.example.com"), "call-8");

        var ok = await authentication.AuthenticateAsync(Callback(uri, $"Bearer {Token()}"), Ct);
        var noToken = await authentication.AuthenticateAsync(Callback(uri), Ct);
        var wrongAudience = await authentication.AuthenticateAsync(Callback(uri, $"Bearer {Token("someone-else")}"), Ct);

        Assert.True(authentication.ValidatesTokens);
        Assert.Equal("call-8", ok.CallId);
        Assert.Equal((401, "A bearer token is required."), (noToken.StatusCode, noToken.Failure));
        Assert.Equal((401, "The token is for another audience."), (wrongAudience.StatusCode, wrongAudience.Failure));
        Assert.True(wrongAudience.BearerChallenge);
    }

    [Fact]
    public async Task The_failure_answers_problem_json_with_the_short_reason_only()
    {
        var signature = CallbackSignature.FromBase64(Secret);
        var result = await WithJwt(signature).AuthenticateAsync(
            Callback(signature.CallbackUri(new Uri("https://cc.example.com"), "c"), "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln"), Ct);
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider() };
        context.Response.Body = new MemoryStream();

        await result.ToProblem().ExecuteAsync(context);
        context.Response.Body.Position = 0;
        var problem = JsonNode.Parse(context.Response.Body)!;

        Assert.Equal(401, context.Response.StatusCode);
        Assert.StartsWith("application/problem+json", context.Response.ContentType);
        Assert.Equal("Bearer", context.Response.Headers.WWWAuthenticate.ToString());
        Assert.Equal("Callback not authenticated", problem["title"]!.GetValue<string>());
        Assert.DoesNotContain("eyJ", problem.ToJsonString());
        Assert.True(problem["detail"]!.GetValue<string>().Length < 60);
    }

    [Fact]
    public async Task In_local_mode_without_a_secret_the_app_signs_with_a_key_of_its_own()
    {
        // Local mode validates the simulator's tokens unless the audience is blanked: this test is about the signature alone.
        var signatureOnly = new Dictionary<string, string?> { ["Voice:Callbacks:Audience"] = "" };
        await using var app = await RunningApp.StartAsync(signatureOnly);
        await using var other = await RunningApp.StartAsync(signatureOnly);
        var authentication = app.Services.GetRequiredService<CallbackAuthentication>();
        var uri = authentication.CallbackUri(new Uri("http://localhost:7071"), "call-1");

        Assert.True((await authentication.AuthenticateAsync(Callback(uri), Ct)).Succeeded);
        Assert.False((await other.Services.GetRequiredService<CallbackAuthentication>().AuthenticateAsync(Callback(uri), Ct)).Succeeded);
        Assert.False(authentication.ValidatesTokens);
    }

    [Fact]
    public async Task The_configured_secret_and_audience_are_used()
    {
        await using var app = await RunningApp.StartAsync(new Dictionary<string, string?>
        {
            ["Voice:CallbackSecret"] = Secret,
            ["Voice:Callbacks:Audience"] = Audience,
            ["Voice:Callbacks:OpenIdConfigurationUrl"] = OpenIdUri.AbsoluteUri,
        });
        var authentication = app.Services.GetRequiredService<CallbackAuthentication>();
        var uri = CallbackSignature.FromBase64(Secret).CallbackUri(new Uri("https://cc.example.com"), "call-9");

        Assert.True(authentication.ValidatesTokens);
        Assert.Equal("call-9", (await authentication.AuthenticateAsync(Callback(uri, $"Bearer {Token()}"), Ct)).CallId);
    }

    public static TheoryData<Dictionary<string, string?>, string> InvalidSettings => new()
    {
        { new() { ["FUNCTIONS_CUSTOMHANDLER_PORT"] = "7001", ["Storage:ConnectionString"] = AzuriteFixture.ConnectionString }, "Voice:CallbackSecret is not set" },
        { new() { ["Voice:CallbackSecret"] = "not base64!" }, "Voice:CallbackSecret is not base64" },
        { new() { ["Voice:CallbackSecret"] = Convert.ToBase64String(new byte[16]) }, "Voice:CallbackSecret is too short" },
        { new() { ["Voice:Callbacks:OpenIdConfigurationUrl"] = "http://acs.example.com/config" }, "is not an absolute https URI" },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public async Task Invalid_voice_settings_stop_start_up_naming_the_setting(Dictionary<string, string?> settings, string expected)
    {
        settings["urls"] = "http://127.0.0.1:0";
        await using var app = ContactCenter.Functions.ContactCenterApp.Build([], configuration => configuration.AddInMemoryCollection(settings));

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync(Ct));

        Assert.Contains(StartupErrors.Describe(ex) ?? [], failure => failure.Contains(expected, StringComparison.Ordinal));
    }
}
