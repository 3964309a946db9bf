namespace ContactCenter.Core.State;

/// <summary>
/// Key and table-name rules of Azure Table Storage, enforced by every backend so that code which works on the
/// embedded store cannot fail later on Azure.
/// </summary>
public static class StateKeys
{
    public const int MaxKeyLength = 1024;

    public static bool IsValid(string? key, out string? reason)
    {
        reason = null;
        if (key is null)
        {
            reason = "must not be null";
        }
        else if (key.Length > MaxKeyLength)
        {
            reason = $"must be at most {MaxKeyLength} characters";
        }
        else
        {
            foreach (var c in key)
            {
                if (c is '/' or '\\' or '#' or '?' || char.IsControl(c))
                {
                    reason = $"must not contain '/', '\\', '#', '?' or control characters (found U+{(int)c:X4})";
                    break;
                }
            }
        }
        return reason is null;
    }

    public static void EnsureValid(string key, string parameterName)
    {
        if (!IsValid(key, out var reason))
        {
            throw new ArgumentException($"Key '{key}' {reason}.", parameterName);
        }
    }

    /// <summary>
    /// An id as a key: itself when it is a valid key of at most 512 characters (readable in storage tools), otherwise
    /// its SHA-256 in hex, so any external id (an event id, a contact id from a provider) maps to a valid, stable key.
    /// </summary>
    public static string ToSafeKey(string id) => IsValid(id, out _) && id.Length <= 512
        ? id
        : Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(id)));

    /// <summary>Table names: 3-63 alphanumeric characters, starting with a letter.</summary>
    public static void EnsureValidTableName(string table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.Length is < 3 or > 63 || !char.IsAsciiLetter(table[0]) || !table.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException(
                $"Table name '{table}' must be 3-63 ASCII letters or digits and start with a letter.", nameof(table));
        }
    }
}
