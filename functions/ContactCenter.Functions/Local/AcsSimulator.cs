using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using ContactCenter.Functions.Hosting;
using ContactCenter.Functions.Local.CallAutomation;

namespace ContactCenter.Functions.Local;

public sealed record SimulatedSms(string? From, string? To, string? Message);

public sealed record SimulatedCall(string? From, string? To, string? CallerDisplayName);

/// <summary>What the simulator published; <see cref="CallId"/> names a placed call for the /simulator/calls/{id} endpoints.</summary>
public sealed record SimulatorAccepted(string EventId, string EventType,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CallId = null);

/// <summary>
/// The local ACS simulator: a customer texts or calls, and the simulator publishes the Event Grid event ACS
/// would (same event types and data fields), through the local host to the AcsEvents function. A placed call is
/// registered with the <see cref="CallAutomationSimulator"/> first, so the app can answer it through the simulated
/// Call Automation API (see CallAutomation/).
/// </summary>
public static partial class AcsSimulator
{
    public const string SmsReceivedType = "Microsoft.Communication.SMSReceived";
    public const string IncomingCallType = "Microsoft.Communication.IncomingCall";

    /// <summary>The ARM id the simulated ACS resource publishes its events under.</summary>
    public const string Topic =
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/local/providers/Microsoft.Communication/communicationServices/acs-simulator";

    /// <summary>ACS limits an SMS request to 2048 characters; longer text is refused, not cut.</summary>
    public const int MaxSmsLength = 2048;

    public static IEndpointRouteBuilder MapAcsSimulator(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/simulator");
        group.MapPost("/sms", ReceiveSmsAsync);
        group.MapPost("/calls", PlaceCallAsync);
        return app;
    }

    private static async Task ReceiveSmsAsync(HttpContext context)
    {
        var (sms, problem) = await JsonBody.ReadAsync(context, ApiJsonContext.Default.SimulatedSms);
        if (problem is null)
        {
            var errors = new Dictionary<string, string[]>();
            RequirePhoneNumber(errors, "from", sms!.From);
            RequirePhoneNumber(errors, "to", sms.To);
            if (string.IsNullOrEmpty(sms.Message))
            {
                errors["message"] = ["An SMS needs text."];
            }
            else if (sms.Message.Length > MaxSmsLength)
            {
                errors["message"] = [$"An SMS holds at most {MaxSmsLength} characters; this one has {sms.Message.Length}."];
            }
            problem = errors.Count > 0 ? TypedResults.ValidationProblem(errors) : null;
        }
        if (problem is not null)
        {
            await problem.ExecuteAsync(context);
            return;
        }
        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        // As the published sample writes it (learn.microsoft.com/azure/event-grid/communication-services-telephony-sms-events):
        // PascalCase fields, numbers without '+' ("From": "15555555555"), so local mode runs the app's normalization too.
        var data = new JsonObject
        {
            ["MessageId"] = $"Incoming_{now:yyyyMMddHHmmssfff}_{Guid.NewGuid():N}",
            ["From"] = sms!.From!.TrimStart('+'),
            ["To"] = sms.To!.TrimStart('+'),
            ["Message"] = sms.Message,
            ["ReceivedTimestamp"] = now.UtcDateTime.ToString("O"),
        };
        await PublishAsync(context, SmsReceivedType, $"/phonenumber/{sms.From!.TrimStart('+')}", data, now);
    }

    private static async Task PlaceCallAsync(HttpContext context)
    {
        var (call, problem) = await JsonBody.ReadAsync(context, ApiJsonContext.Default.SimulatedCall);
        if (problem is null)
        {
            var errors = new Dictionary<string, string[]>();
            RequirePhoneNumber(errors, "from", call!.From);
            RequirePhoneNumber(errors, "to", call.To);
            problem = errors.Count > 0 ? TypedResults.ValidationProblem(errors) : null;
        }
        if (problem is not null)
        {
            await problem.ExecuteAsync(context);
            return;
        }
        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var placed = context.RequestServices.GetRequiredService<CallAutomationSimulator>().PlaceIncomingCall(call!.From!, call.To!, call.CallerDisplayName);
        var data = new JsonObject
        {
            ["to"] = PhoneIdentifier(call.To!),
            ["from"] = PhoneIdentifier(call.From!),
            ["serverCallId"] = placed.ServerCallId,
            ["callerDisplayName"] = call.CallerDisplayName ?? string.Empty,
            ["incomingCallContext"] = placed.IncomingCallContext,
            ["correlationId"] = placed.CorrelationId,
        };
        await PublishAsync(context, IncomingCallType, $"/caller/4:{call.From}/recipient/4:{call.To}", data, now, placed.CallId);
    }

    private static async Task PublishAsync(HttpContext context, string eventType, string subject, JsonObject data, DateTimeOffset now, string? callId = null)
    {
        var id = context.RequestServices.GetRequiredService<LocalFunctionsHost>().PublishEvent(GridEvent(eventType, subject, data, now));
        await TypedResults.Json(new SimulatorAccepted(id, eventType, callId), ApiJsonContext.Default.SimulatorAccepted,
            statusCode: StatusCodes.Status202Accepted).ExecuteAsync(context);
    }

    /// <summary>An event in the Event Grid schema, as the ACS resource's system topic publishes it.</summary>
    internal static JsonObject GridEvent(string eventType, string subject, JsonObject data, DateTimeOffset now) =>
        new()
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["topic"] = Topic,
            ["subject"] = subject,
            ["data"] = data,
            ["eventType"] = eventType,
            ["dataVersion"] = "1.0",
            ["metadataVersion"] = "1",
            ["eventTime"] = now.UtcDateTime.ToString("O"),
        };

    /// <summary>A phone party as ACS identifies it: kind, raw id "4:+..." and phoneNumber.value (the CommunicationIdentifierModel of the Call Automation spec).</summary>
    private static JsonObject PhoneIdentifier(string number) => new()
    {
        ["kind"] = "phoneNumber",
        ["rawId"] = $"4:{number}",
        ["phoneNumber"] = new JsonObject { ["value"] = number },
    };

    private static void RequirePhoneNumber(Dictionary<string, string[]> errors, string field, string? value)
    {
        if (value is null || !E164().IsMatch(value))
        {
            errors[field] = [$"'{value}' is not an E.164 phone number such as +14255550123."];
        }
    }

    [GeneratedRegex(@"^\+[1-9]\d{6,14}$")]
    private static partial Regex E164();
}
