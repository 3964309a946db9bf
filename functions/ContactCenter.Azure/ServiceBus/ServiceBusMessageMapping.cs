using System.Security.Cryptography;
using System.Text;
using Azure.Messaging.ServiceBus;
using ContactCenter.Core.Messaging;

namespace ContactCenter.Azure.ServiceBus;

/// <summary>
/// The core's <see cref="OutgoingMessage"/> as the SDK's <see cref="ServiceBusMessage"/>: body as UTF-8 bytes, content
/// type application/json, message id (duplicate detection), session id, scheduled enqueue time. Facts from the
/// Azure.Messaging.ServiceBus 7.21.0 API docs shipped in the package (Azure.Messaging.ServiceBus.xml) and
/// Azure/azure-sdk-for-net sdk/servicebus/Azure.Messaging.ServiceBus/src/Primitives/ServiceBusMessage.cs.
/// </summary>
public static class ServiceBusMessageMapping
{
    /// <summary>Every body the core sends is JSON.</summary>
    public const string JsonContentType = "application/json";

    /// <summary>
    /// The longest message id Service Bus takes (128 characters: the SDK's MessageId setter refuses longer ones with
    /// ArgumentOutOfRangeException; the REST API answered 400).
    /// </summary>
    public const int MaxMessageIdLength = 128;

    public static ServiceBusMessage ToServiceBusMessage(OutgoingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var mapped = new ServiceBusMessage(BinaryData.FromString(message.Body)) { ContentType = JsonContentType };
        if (!string.IsNullOrEmpty(message.MessageId))
        {
            mapped.MessageId = FitMessageId(message.MessageId);
        }
        if (message.SessionId is not null)
        {
            mapped.SessionId = message.SessionId;
        }
        // Set only when asked: "send now" leaves the property at its default, which the SDK does not annotate.
        // Sending with ScheduledEnqueueTime set schedules the message (the property's docs: "Messages can also be
        // scheduled by setting ScheduledEnqueueTime and using SendMessageAsync"), with no management round trip.
        if (message.ScheduledFor is { } due)
        {
            mapped.ScheduledEnqueueTime = due.ToUniversalTime();
        }
        return mapped;
    }

    /// <summary>
    /// An id over the limit becomes a SHA-256 digest of it: still deterministic, so a resend is still a duplicate,
    /// instead of an exception that would fail the call that sends it.
    /// </summary>
    internal static string FitMessageId(string id) =>
        id.Length <= MaxMessageIdLength ? id : "sha256-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));
}
