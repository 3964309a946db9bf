using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ContactCenter.Azure.Email;

/// <summary>One "created" message in a Graph change notification.</summary>
public sealed record GraphMessageNotification(string SubscriptionId, string ChangeType, string Resource, string MessageId);

/// <summary>
/// Reads a Microsoft Graph change-notification delivery ({"value":[{subscriptionId, changeType, clientState,
/// resource, resourceData{id}}]}) for a mailbox's messages. Every item must carry the configured clientState (the
/// secret given when the subscription was created), compared in constant time: one that does not is refused whole.
/// </summary>
public static class GraphChangeNotifications
{
    /// <summary>The message notifications; throws <see cref="InvalidInboundEmailException"/> for a malformed body and
    /// <see cref="UnauthorizedAccessException"/> when a clientState does not match.</summary>
    public static IReadOnlyList<GraphMessageNotification> Read(ReadOnlySpan<byte> body, string clientState)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientState);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray());
        }
        catch (JsonException ex)
        {
            throw new InvalidInboundEmailException($"The body is not JSON: {ex.Message}", ex);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("value", out var items)
                || items.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidInboundEmailException("A Graph change notification is an object with a 'value' array.");
            }
            var expected = Encoding.UTF8.GetBytes(clientState);
            var notifications = new List<GraphMessageNotification>();
            var index = 0;
            foreach (var item in items.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object)
                {
                    throw new InvalidInboundEmailException($"value[{index}] is not an object.");
                }
                var state = Text(item, "clientState");
                if (state is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(state), expected))
                {
                    throw new UnauthorizedAccessException($"value[{index}] does not carry the configured clientState.");
                }
                var changeType = Text(item, "changeType") ?? throw new InvalidInboundEmailException($"value[{index}].changeType is required.");
                var resource = Text(item, "resource") ?? throw new InvalidInboundEmailException($"value[{index}].resource is required.");
                var id = item.TryGetProperty("resourceData", out var data) && data.ValueKind == JsonValueKind.Object ? Text(data, "id") : null;
                // Without resourceData the id is the resource path's last segment: Users/{user}/Messages/{id}.
                id ??= resource.Split('/', StringSplitOptions.RemoveEmptyEntries) is { Length: >= 2 } parts
                    && parts[^2].Equals("messages", StringComparison.OrdinalIgnoreCase) ? parts[^1] : null;
                if (string.IsNullOrEmpty(id))
                {
                    throw new InvalidInboundEmailException($"value[{index}] names no message (resourceData.id).");
                }
                notifications.Add(new GraphMessageNotification(Text(item, "subscriptionId") ?? string.Empty, changeType, resource, id));
                index++;
            }
            return notifications;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
