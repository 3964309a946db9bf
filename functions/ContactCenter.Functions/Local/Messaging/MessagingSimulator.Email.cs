using System.Globalization;
using System.Text.Json.Nodes;

namespace ContactCenter.Functions.Local.Messaging;

/// <summary>An email in a simulated customer's mailbox (one copy per recipient).</summary>
internal sealed class MailboxEmail
{
    public required EmailOperation Operation { get; init; }
    public required string Recipient { get; init; }
    public string Status { get; set; } = "Sending";

    public JsonObject Describe()
    {
        var email = Operation.Message;
        var headers = email["headers"] as JsonObject;
        return new JsonObject
        {
            ["operationId"] = Operation.Id,
            ["messageId"] = Header(headers, "Message-ID"),
            ["inReplyTo"] = Header(headers, "In-Reply-To"),
            ["references"] = new JsonArray([.. (Header(headers, "References") ?? "").Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries).Select(r => (JsonNode)r)]),
            ["from"] = email["senderAddress"]?.DeepClone(),
            ["replyTo"] = email["replyTo"]?.DeepClone(),
            ["to"] = email["recipients"]?["to"]?.DeepClone(),
            ["cc"] = email["recipients"]?["cc"]?.DeepClone(),
            ["subject"] = email["content"]?["subject"]?.DeepClone(),
            ["plainText"] = email["content"]?["plainText"]?.DeepClone(),
            ["html"] = email["content"]?["html"]?.DeepClone(),
            ["headers"] = headers?.DeepClone(),
            ["attachments"] = new JsonArray([.. (email["attachments"] as JsonArray ?? []).OfType<JsonObject>().Select(a => (JsonNode)new JsonObject
            {
                ["name"] = a["name"]?.DeepClone(),
                ["contentType"] = a["contentType"]?.DeepClone(),
                ["size"] = MessagingSimulator.DecodedLength(a["contentInBase64"]?.GetValue<string>()),
            })]),
            ["sentAt"] = Operation.AcceptedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            ["status"] = Status,
        };
    }

    private static string? Header(JsonObject? headers, string name) =>
        headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.GetValue<string>();
}

/// <summary>A send operation: Running until the virtual delay has passed, then Succeeded (or Failed).</summary>
internal sealed class EmailOperation
{
    public required string Id { get; init; }
    public required JsonObject Message { get; init; }
    public DateTimeOffset AcceptedAt { get; init; }
    public DateTimeOffset DoneAt { get; init; }
    public string Status { get; set; } = "Running";
    public JsonObject? Error { get; set; }

    public JsonObject Describe()
    {
        var result = new JsonObject { ["id"] = Id, ["status"] = Status };
        if (Error is not null)
        {
            result["error"] = Error.DeepClone();
        }
        return result;
    }
}

/// <summary>Email: POST /emails:send and GET /emails/operations/{id} as ACS serves them, and the delivery reports.</summary>
public sealed partial class MessagingSimulator
{
    private AcsReply SendEmail(HttpRequest request, JsonObject body)
    {
        var operationId = request.Headers["Operation-Id"].ToString();
        if (operationId.Length > 0)
        {
            if (!Guid.TryParse(operationId, out _))
            {
                return BadRequest("Operation-Id must be a UUID.");
            }
            // The same Operation-Id again is the same operation: nothing is sent twice.
            if (_operations.TryGetValue(operationId, out var known))
            {
                return Accepted(request, known);
            }
        }
        if (Validate(body) is { } problem)
        {
            return problem;
        }
        var now = _time.GetUtcNow();
        var operation = new EmailOperation
        {
            Id = operationId.Length > 0 ? operationId : Guid.NewGuid().ToString(),
            Message = (JsonObject)body.DeepClone(),
            AcceptedAt = now,
            DoneAt = now + _options.EmailDeliveryDelay,
        };
        _operations[operation.Id] = operation;
        var recipients = Recipients(body).ToList();
        var copies = recipients.Select(address => new MailboxEmail { Operation = operation, Recipient = address }).ToList();
        foreach (var copy in copies)
        {
            if (!_mailboxes.TryGetValue(copy.Recipient, out var mailbox))
            {
                _mailboxes[copy.Recipient] = mailbox = [];
            }
            mailbox.Add(copy);
        }
        After(_options.EmailDeliveryDelay, () => Deliver(operation, copies));
        return Accepted(request, operation);
    }

    private List<JsonObject> Deliver(EmailOperation operation, List<MailboxEmail> copies)
    {
        var behaviours = copies.Select(c => _emailParties.GetValueOrDefault(c.Recipient)).ToList();
        if (behaviours.All(b => b == EmailBehaviour.Fail))
        {
            operation.Status = "Failed";
            operation.Error = new JsonObject { ["code"] = "EmailDroppedAllRecipientsSuppressed", ["message"] = "No recipient accepted the message." };
        }
        else
        {
            operation.Status = "Succeeded";
        }
        var events = new List<JsonObject>();
        for (var i = 0; i < copies.Count; i++)
        {
            var (status, details) = behaviours[i] switch
            {
                EmailBehaviour.Bounce => ("Bounced", "The recipient's mail server rejected the message: mailbox unavailable."),
                EmailBehaviour.Fail => ("Failed", "The message could not be delivered."),
                _ => ("Delivered", "The message was delivered to the recipient's mail server."),
            };
            copies[i].Status = status;
            events.Add(EmailDeliveryReport(operation, copies[i].Recipient, status, details));
        }
        return events;
    }

    private AcsReply GetEmailSendResult(string operationId) =>
        _operations.TryGetValue(operationId, out var operation)
            ? new AcsReply(200, operation.Describe(), RetryAfter(operation))
            : (404, SimulatedAcsApi.Error("NotFound", $"No email send operation '{operationId}'."));

    private AcsReply Accepted(HttpRequest request, EmailOperation operation)
    {
        var location = $"{request.Scheme}://{request.Host}{request.PathBase}{EmailOperations}{Uri.EscapeDataString(operation.Id)}?api-version={MessagingSimulatorOptions.EmailApiVersion}";
        var headers = RetryAfter(operation) ?? [];
        headers["Operation-Location"] = location;
        return new AcsReply(202, operation.Describe(), headers);
    }

    /// <summary>retry-after only while the operation is not finished: whole seconds until it will be.</summary>
    private Dictionary<string, string>? RetryAfter(EmailOperation operation) =>
        operation.Status is "Running" or "NotStarted"
            ? new() { ["retry-after"] = Math.Max(1, (int)Math.Ceiling((operation.DoneAt - _time.GetUtcNow()).TotalSeconds)).ToString(CultureInfo.InvariantCulture) }
            : null;

    private static AcsReply? Validate(JsonObject body)
    {
        if (Text(body["senderAddress"]) is not { } sender || body["content"] is not JsonObject content || body["recipients"] is not JsonObject recipients
            || recipients["to"] is not JsonArray)
        {
            return BadRequest("Required: senderAddress, content, recipients.to.");
        }
        if (!IsAddress(sender))
        {
            return BadRequest($"senderAddress '{sender}' is not an email address.");
        }
        if (Text(content["subject"]) is null)
        {
            return BadRequest("content.subject is required.");
        }
        if (Text(content["plainText"]) is null && Text(content["html"]) is null)
        {
            return BadRequest("content needs plainText or html.");
        }
        var all = new[] { "to", "cc", "bcc" }.SelectMany(field => recipients[field] as JsonArray ?? []).ToList();
        if (all.Count is 0 or > MaxEmailRecipients)
        {
            return BadRequest($"An email has 1 to {MaxEmailRecipients} recipients (to, cc and bcc together).");
        }
        if (all.FirstOrDefault(r => !IsAddress(Text(r?["address"]))) is { } bad)
        {
            return (400, SimulatedAcsApi.Error("InvalidEmailAddress", $"'{Text(bad?["address"])}' is not an email address."));
        }
        long size = 0;
        foreach (var attachment in body["attachments"] as JsonArray ?? [])
        {
            if (Text(attachment?["name"]) is null || Text(attachment?["contentType"]) is null || DecodedLength(Text(attachment?["contentInBase64"])) is not { } length)
            {
                return BadRequest("Each attachment needs name, contentType and contentInBase64 (valid base64).");
            }
            size += length;
        }
        return size > MaxEmailBytes
            ? (413, SimulatedAcsApi.Error("RequestEntityTooLarge", $"The email is larger than the {MaxEmailBytes / (1024 * 1024)} MB allowed."))
            : null;
    }

    private static IEnumerable<string> Recipients(JsonObject body) =>
        new[] { "to", "cc", "bcc" }.SelectMany(field => body["recipients"]?[field] as JsonArray ?? [])
            .Select(r => Text(r?["address"])!).Distinct(StringComparer.OrdinalIgnoreCase);

    private static bool IsAddress(string? value) =>
        value is { Length: >= 3 } && value.IndexOf('@') is var at && at > 0 && at < value.Length - 1 && !value.Any(char.IsWhiteSpace);

    /// <summary>Bytes a base64 string decodes to, or null when it is not base64.</summary>
    internal static long? DecodedLength(string? base64)
    {
        if (base64 is null)
        {
            return null;
        }
        var buffer = new byte[base64.Length * 3 / 4 + 3];
        return Convert.TryFromBase64String(base64, buffer, out var written) ? written : null;
    }

    /// <summary>
    /// The Event Grid event ACS publishes per recipient once the receiving server has answered; fields as in the SDK's
    /// model and test (Azure/azure-sdk-for-go sdk/messaging/eventgrid/azsystemevents/system_events_test.go,
    /// "deliveryAttemptTimestamp"; the docs page's sample spells it "deliveryAttemptTimeStamp", which the app reads too).
    /// </summary>
    private JsonObject EmailDeliveryReport(EmailOperation operation, string recipient, string status, string details)
    {
        var sender = Text(operation.Message["senderAddress"])!;
        var data = new JsonObject
        {
            ["sender"] = sender,
            ["recipient"] = recipient,
            ["messageId"] = operation.Id,
            ["status"] = status,
            ["deliveryStatusDetails"] = new JsonObject { ["statusMessage"] = details },
            ["deliveryAttemptTimestamp"] = Timestamp(),
        };
        return AcsSimulator.GridEvent(EmailDeliveryReportType, $"sender/{sender}/message/{operation.Id}", data, _time.GetUtcNow());
    }
}
