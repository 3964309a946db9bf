using System.Text.RegularExpressions;

namespace ContactCenter.Core.Voice;

/// <summary>
/// Who a call reaches: a phone number, a user of the telephony provider's own identity service (an ACS user for
/// Azure Communication Services), or a Microsoft Teams user. Closed: only the nested kinds exist.
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

    /// <summary>A Microsoft Teams user, by Entra ID object id.</summary>
    public sealed record TeamsUser : CallTarget
    {
        public TeamsUser(string userId)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(userId);
            UserId = userId;
        }

        public string UserId { get; }
    }

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex E164();
}
