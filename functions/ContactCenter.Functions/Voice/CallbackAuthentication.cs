using ContactCenter.Azure.Communication;
using ContactCenter.Core.Voice;
using ContactCenter.Functions.Hosting;

namespace ContactCenter.Functions.Voice;

/// <summary>
/// Decides whether a Call Automation callback really comes from ACS for one of our calls: the per-call signature in
/// the callback URI (always), then the JWT ACS signs the request with (when Voice:Callbacks:Audience is set). The
/// callback endpoint answers <see cref="CallbackAuthenticationResult.ToProblem"/> when it fails.
/// </summary>
public sealed class CallbackAuthentication(CallbackSignature signature, CallbackTokenValidator? tokenValidator = null)
{
    /// <summary>True when the JWT is checked too; otherwise the per-call signature alone authenticates a callback.</summary>
    public bool ValidatesTokens => tokenValidator is not null;

    /// <summary>The callback URI to give ACS when answering or placing the call <paramref name="callId"/>.</summary>
    public Uri CallbackUri(Uri publicBaseUri, string callId) => signature.CallbackUri(publicBaseUri, callId);

    public async Task<CallbackAuthenticationResult> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        // The cheap check first: a request without our signature never costs a key fetch.
        var check = signature.Check(request.QueryString.Value);
        if (!check.IsValid)
        {
            return CallbackAuthenticationResult.Unauthorized(check.Failure!);
        }
        if (tokenValidator is not null)
        {
            var token = await tokenValidator.ValidateAsync(request.Headers.Authorization.FirstOrDefault(), cancellationToken);
            switch (token.Status)
            {
                case CallbackTokenStatus.Rejected:
                    return CallbackAuthenticationResult.Unauthorized(token.Failure!, bearerChallenge: true);
                case CallbackTokenStatus.Unavailable:
                    return new CallbackAuthenticationResult(null, StatusCodes.Status503ServiceUnavailable, token.Failure);
            }
        }
        return new CallbackAuthenticationResult(check.CallId, StatusCodes.Status200OK, null);
    }
}

/// <summary>Our call id when the callback is genuine; otherwise the status to answer (401, or 503 when keys cannot be fetched) and a short reason.</summary>
public sealed record CallbackAuthenticationResult(string? CallId, int StatusCode, string? Failure, bool BearerChallenge = false)
{
    public bool Succeeded => CallId is not null;

    internal static CallbackAuthenticationResult Unauthorized(string reason, bool bearerChallenge = false) =>
        new(null, StatusCodes.Status401Unauthorized, reason, bearerChallenge);

    /// <summary>401 (or 503) application/problem+json with the short reason only; a bearer challenge when the JWT failed.</summary>
    public IResult ToProblem()
    {
        if (Succeeded)
        {
            throw new InvalidOperationException("The callback was authenticated; there is no problem to report.");
        }
        var problem = FunctionEndpoints.Problem(StatusCode,
            StatusCode == StatusCodes.Status401Unauthorized ? "Callback not authenticated" : "Callback cannot be authenticated now", Failure!);
        return BearerChallenge ? new WithHeader(problem, "WWW-Authenticate", "Bearer") : problem;
    }

    private sealed class WithHeader(IResult inner, string name, string value) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers[name] = value;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
