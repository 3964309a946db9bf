using System.Text.RegularExpressions;

namespace ContactCenter.Core.Voice;

/// <summary>
/// Who a call reaches: a phone number, a user of the telephony provider's own identity service (an ACS user for
/// Azure Communication Services), a Microsoft Teams user or Teams app (bot), or a party of a kind the app does not
/// know, kept by its raw id. Closed: only the nested kinds exist.
/// </summary>
public abstract partial record CallTarget
{
    private CallTarget()
    {
    }

    /// <summary>A PSTN number in E.164 form (+ and 7–15 digits), the only form carriers accept for caller ids too.</summary>
    public sealed record PhoneNumber : CallTarget
    {
        public PhoneNumber(string value)
        {
            if (value is null || !E164().IsMatch(value))
            {
                throw new ArgumentException($"'{value}' is not an E.164 phone number (+ and 7 to 15 digits).", nameof(value));
            }
            Value = value;
        }

        public string Value { get; }
    }

    /// <summary>A user issued by the provider's identity service (for ACS: "8:acs:...").</summary>
    public sealed record CommunicationUser : CallTarget
    {
        public CommunicationUser(string id)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(id);
            Id = id;
        }

        public string Id { get; }
    }

    /// <summary>
    /// A Microsoft Teams user, by Entra ID object id, in the public cloud unless <see cref="Cloud"/> says "dod" or
    /// "gcch"; <see cref="IsAnonymous"/> for a Teams visitor (a guest who joined without an account).
    /// </summary>
    public sealed record TeamsUser : CallTarget
    {
        public TeamsUser(string userId, string cloud = PublicCloud, bool isAnonymous = false)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(userId);
            ArgumentException.ThrowIfNullOrWhiteSpace(cloud);
            UserId = userId;
            Cloud = cloud;
            IsAnonymous = isAnonymous;
        }

        public string UserId { get; }
        public string Cloud { get; }
        public bool IsAnonymous { get; }
    }

    /// <summary>A Microsoft Teams app or bot (a Teams voice app), by app id, in the public cloud unless <see cref="Cloud"/> says otherwise.</summary>
    public sealed record TeamsApp : CallTarget
    {
        public TeamsApp(string appId, string cloud = PublicCloud)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(appId);
            ArgumentException.ThrowIfNullOrWhiteSpace(cloud);
            AppId = appId;
            Cloud = cloud;
        }

        public string AppId { get; }
        public string Cloud { get; }
    }

    /// <summary>
    /// A party whose identifier kind the app does not know (a newer kind, an anonymous caller, "4:anonymous"), kept
    /// exactly as the provider wrote it so it can still be answered, played to and named back to the provider.
    /// </summary>
    public sealed record Unknown : CallTarget
    {
        public Unknown(string rawId)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(rawId);
            RawId = rawId;
        }

        public string RawId { get; }
    }

    public const string PublicCloud = "public";

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex E164();
}
