using System.Text.Json;
using System.Text.Json.Nodes;
using ContactCenter.Azure.EventGrid;
using ContactCenter.Core.Events;
using ContactCenter.Core.Messaging;
using ContactCenter.Functions.Hosting;
using ContactCenter.Functions.Telemetry;

namespace ContactCenter.Functions.Voice;

/// <summary>
/// POST/OPTIONS /api/events/acs: Event Grid delivering to a webhook, in the Event Grid schema or CloudEvents 1.0.
/// Answers the subscription validation handshake (Event Grid schema: the SubscriptionValidationEvent's code echoed
/// back; CloudEvents: the OPTIONS abuse-protection request) and puts every delivered event on the inbound-events queue
/// — the same queue and message the AcsEvents Event Grid trigger produces, so the two are interchangeable.
/// </summary>
/// <remarks>
/// A delivery is checked whole before anything is sent: one malformed event answers 400 and nothing is queued, so a
/// batch is never half-taken. A send that fails answers 500 and Event Grid redelivers the batch; the message id is the
/// event id, so Service Bus duplicate detection (and the processor's ledger) drop what was already sent.
/// </remarks>
public sealed class EventGridWebhookFunction(IMessageSender sender, ILogger<EventGridWebhookFunction> logger) : IHttpFunction
{
    public const string SubscriptionValidationEventType = "Microsoft.EventGrid.SubscriptionValidationEvent";
    public const string SubscriptionDeletedEventType = "Microsoft.EventGrid.SubscriptionDeletedEvent";

    /// <summary>Event Grid delivers at most 1 MB per request; anything larger is not from it.</summary>
    public const int MaxBodyBytes = 1024 * 1024 + 64 * 1024;

    public async Task<IResult> HandleAsync(HttpContext context)
    {
        if (HttpMethods.IsOptions(context.Request.Method))
        {
            return AbuseProtectionHandshake(context);
        }

        JsonDocument document;
        try
        {
            var body = await ReadBodyAsync(context.Request, context.RequestAborted);
            if (body is null)
            {
                return FunctionEndpoints.Problem(StatusCodes.Status413PayloadTooLarge, "Delivery too large", $"An Event Grid delivery is at most {MaxBodyBytes} bytes.");
            }
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            return Malformed($"The body is not JSON: {ex.Message}");
        }
        using (document)
        {
            var elements = document.RootElement.ValueKind switch
            {
                JsonValueKind.Array => document.RootElement.EnumerateArray().ToList(),
                JsonValueKind.Object => [document.RootElement],
                _ => null,
            };
            if (elements is null)
            {
                return Malformed($"An Event Grid delivery is an event object or an array of events, not {document.RootElement.ValueKind}.");
            }
            if (elements.Count == 0)
            {
                return Malformed("The delivery holds no events.");
            }

            var events = new List<InboundEvent>(elements.Count);
            for (var i = 0; i < elements.Count; i++)
            {
                try
                {
                    events.Add(EventGridEventReader.Read(elements[i]));
                }
                catch (InvalidInboundEventException ex)
                {
                    return Malformed(elements.Count == 1 ? ex.Message : $"Event [{i}]: {ex.Message}");
                }
            }

            if (events.FirstOrDefault(e => e.Type == SubscriptionValidationEventType) is { } validation)
            {
                return events.Count == 1 ? ValidationResponse(validation) : Malformed("A subscription validation event must be delivered alone.");
            }

            // Event Grid's own notices about the subscription are not ACS events: acknowledge, do not queue.
            var accepted = events.Where(e => !e.Type.StartsWith("Microsoft.EventGrid.", StringComparison.Ordinal)).ToList();
            foreach (var inbound in accepted)
            {
                await sender.SendAsync(QueueNames.InboundEvents, new OutgoingMessage(inbound.ToJson()) { MessageId = inbound.Id }, context.RequestAborted);
                ContactCenterTelemetry.RecordInboundEvent(inbound.Type, "accepted");
                logger.LogInformation("Accepted {EventType} event {EventId} from the webhook.", inbound.Type, inbound.Id);
            }
            var answer = new JsonObject { ["accepted"] = accepted.Count, ["ignored"] = events.Count - accepted.Count };
            return Results.Text(answer.ToJsonString(), "application/json", statusCode: StatusCodes.Status200OK);
        }
    }

    /// <summary>
    /// CloudEvents webhook abuse protection: the sender asks with WebHook-Request-Origin and may deliver once we allow
    /// that origin. Allowing any origin is safe here because the function key already guards the endpoint.
    /// </summary>
    private static IResult AbuseProtectionHandshake(HttpContext context)
    {
        var origin = context.Request.Headers["WebHook-Request-Origin"].FirstOrDefault();
        if (string.IsNullOrWhiteSpace(origin))
        {
            return FunctionEndpoints.Problem(StatusCodes.Status400BadRequest, "Not a webhook validation request",
                "An OPTIONS request here is the CloudEvents abuse-protection handshake and needs a WebHook-Request-Origin header.");
        }
        context.Response.Headers["WebHook-Allowed-Origin"] = origin.Trim();
        context.Response.Headers["WebHook-Allowed-Rate"] = "*";
        context.Response.Headers.Allow = "POST, OPTIONS";
        return Results.Ok();
    }

    private IResult ValidationResponse(InboundEvent validation)
    {
        var code = validation.Data.ValueKind == JsonValueKind.Object && validation.Data.TryGetProperty("validationCode", out var value)
            && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        if (string.IsNullOrEmpty(code))
        {
            return Malformed("The subscription validation event has no data.validationCode.");
        }
        logger.LogInformation("Answered the Event Grid subscription validation for {Topic}.", validation.Source);
        return Results.Text(new JsonObject { ["validationResponse"] = code }.ToJsonString(), "application/json", statusCode: StatusCodes.Status200OK);
    }

    private IResult Malformed(string reason)
    {
        logger.LogWarning("Rejected an Event Grid delivery: {Reason}", reason);
        return FunctionEndpoints.Problem(StatusCodes.Status400BadRequest, "Invalid Event Grid delivery", reason);
    }

    /// <summary>The body, or null when it is larger than <see cref="MaxBodyBytes"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
