using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ContactCenter.Functions.Functions;
using ContactCenter.Functions.Local;

namespace ContactCenter.Functions.Hosting;

/// <summary>Source-generated JSON for the app's own HTTP API (camelCase), so Native AOT needs no reflection.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(HealthReport))]
[JsonSerializable(typeof(UnprocessableView))]
[JsonSerializable(typeof(Teams.RingTargetRequest))]
[JsonSerializable(typeof(SimulatedSms))]
[JsonSerializable(typeof(SimulatedCall))]
[JsonSerializable(typeof(SimulatorAccepted))]
[JsonSerializable(typeof(AdminInvocation))]
[JsonSerializable(typeof(DeadLetter[]))]
[JsonSerializable(typeof(Acd.ContactRequest))]
[JsonSerializable(typeof(Acd.AgentRequest))]
[JsonSerializable(typeof(Acd.PresenceRequest))]
[JsonSerializable(typeof(Acd.ContactView))]
[JsonSerializable(typeof(Acd.QueueView))]
[JsonSerializable(typeof(Acd.RulesView))]
[JsonSerializable(typeof(Acd.RulesPublished))]
[JsonSerializable(typeof(Acd.RulesHistoryView))]
[JsonSerializable(typeof(ContactCenter.Core.Routing.AgentState))]
[JsonSerializable(typeof(Voice.CallCommandRequest))]
[JsonSerializable(typeof(Conversations.IdentityRequest))]
[JsonSerializable(typeof(Conversations.MergeRequest))]
[JsonSerializable(typeof(Conversations.ReplyRequest))]
[JsonSerializable(typeof(Conversations.CustomerView))]
[JsonSerializable(typeof(Conversations.TimelineView))]
[JsonSerializable(typeof(ContactCenter.Core.Conversations.ConversationRecord))]
[JsonSerializable(typeof(ContactCenter.Core.Conversations.TimelineEntry))]
[JsonSerializable(typeof(ContactCenter.Core.Routing.ErlangCResult))]
[JsonSerializable(typeof(Acd.CompleteRequest))]
[JsonSerializable(typeof(Acd.NoteRequest))]
[JsonSerializable(typeof(Acd.InboxView))]
[JsonSerializable(typeof(Acd.DispositionsView))]
[JsonSerializable(typeof(Acd.ReassignRequest))]
[JsonSerializable(typeof(Acd.SkillsRequest))]
[JsonSerializable(typeof(Acd.ReassignView))]
[JsonSerializable(typeof(Acd.SkillsView))]
[JsonSerializable(typeof(ContactCenter.Core.Routing.SupervisorBoard))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;

/// <summary>Reads a JSON request body, turning every way it can be wrong into a 400 problem+json answer.</summary>
internal static class JsonBody
{
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo) where T : class
    {
        if (context.Request.HasJsonContentType() is false)
        {
            return (null, FunctionEndpoints.Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                "Send the body as application/json."));
        }
        try
        {
            var value = await JsonSerializer.DeserializeAsync(context.Request.Body, typeInfo, context.RequestAborted);
            return value is null
                ? (null, FunctionEndpoints.Problem(StatusCodes.Status400BadRequest, "Invalid request body", "The body is JSON null."))
                : (value, null);
        }
        catch (JsonException ex)
        {
            return (null, FunctionEndpoints.Problem(StatusCodes.Status400BadRequest, "Invalid request body", $"The body is not valid JSON for this request: {ex.Message}"));
        }
    }
}
