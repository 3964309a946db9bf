using System.Text.Json;
using System.Text.Json.Nodes;
using ContactCenter.Azure.EventGrid;
using ContactCenter.Core.Events;
using ContactCenter.Core.Messaging;
using ContactCenter.Core.Operations;
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
/// What cannot be read — a body that is not JSON, an event that is not an Event Grid or CloudEvents event — is parked
/// on the unprocessable list with its reason and answered 200: Event Grid would retry it for a day and then
/// dead-letter it, and no retry makes it readable. The readable events of the same delivery are queued. A send that
/// fails answers 500 and Event Grid redelivers the batch; the message id is the event id, so Service Bus duplicate
/// detection (and the processor's ledger) drop what was already sent.
/// </remarks>
public sealed class EventGridWebhookFunction(IMessageSender sender, IUnprocessableEvents unprocessable, ILogger<EventGridWebhookFunction> logger) : IHttpFunction
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
            try
            {
                document = JsonDocument.Parse(body);
            }
            catch (JsonException ex)
            {
                return await ParkAsync($"The body is not JSON: {ex.Message}", System.Text.Encoding.UTF8.GetString(body), context.RequestAborted);
            }
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
                return await ParkAsync($"An Event Grid delivery is an event object or an array of events, not {document.RootElement.ValueKind}.",
                    document.RootElement.GetRawText(), context.RequestAborted);
            }
            if (elements.Count == 0)
            {
                return Malformed("The delivery holds no events.");
            }

            var events = new List<InboundEvent>(elements.Count);
            var parked = 0;
            for (var i = 0; i < elements.Count; i++)
            {
                try
                {
                    events.Add(EventGridEventReader.Read(elements[i]));
                }
                catch (InvalidInboundEventException ex)
                {
                    var reason = elements.Count == 1 ? ex.Message : $"Event [{i}]: {ex.Message}";
                    logger.LogWarning("Parked an unreadable event of an Event Grid delivery: {Reason}", reason);
                    await unprocessable.ParkAsync(VoiceFunctions.AcsEventGridWebhook.Name, null, EventId(elements[i]), reason, elements[i].GetRawText(), context.RequestAborted);
                    parked++;
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
            var answer = new JsonObject { ["accepted"] = accepted.Count, ["ignored"] = events.Count - accepted.Count, ["parked"] = parked };
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

    private async Task<IResult> ParkAsync(string reason, string payload, CancellationToken cancellationToken)
    {
        logger.LogWarning("Parked an unreadable Event Grid delivery: {Reason}", reason);
        await unprocessable.ParkAsync(VoiceFunctions.AcsEventGridWebhook.Name, null, null, reason, payload, cancellationToken);
        var answer = new JsonObject { ["accepted"] = 0, ["ignored"] = 0, ["parked"] = 1 };
        return Results.Text(answer.ToJsonString(), "application/json", statusCode: StatusCodes.Status200OK);
    }

    private static string? EventId(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;

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
