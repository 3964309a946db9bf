using Azure.Core;

namespace ContactCenter.Integration.Tests.Infrastructure;

/// <summary>
/// A credential that always answers the same token, and only for the scope the client under test must ask for (a wrong
/// scope fails the request, so the test sees it).
/// </summary>
public sealed class FixedTokenCredential(string token, string scope) : TokenCredential
{
    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        requestContext.Scopes.SequenceEqual([scope]) ? new AccessToken(token, DateTimeOffset.MaxValue) : throw new InvalidOperationException("wrong scope");

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
