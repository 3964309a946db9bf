using ContactCenter.Core.Conversations;
using ContactCenter.Core.Routing;
using ContactCenter.Core.Workspace;
using ContactCenter.Functions.Hosting;
using static ContactCenter.Functions.Acd.WorkspaceProblems;

namespace ContactCenter.Functions.Acd;

/// <param name="Disposition">One of the queue's codes (GET /api/dispositions?queueId=); required when the queue defines any.</param>
public sealed record CompleteRequest(string? Disposition, string? Notes);

public sealed record NoteRequest(string? Text);

public sealed record InboxView(string AgentId, IReadOnlyList<InboxContact> Contacts);

/// <param name="QueueId">Null for the global list (the codes every queue offers).</param>
public sealed record DispositionsView(string? QueueId, bool Required, IReadOnlyList<DispositionCode> Dispositions);

/// <summary>
/// What an agent does with the contacts they hold: the inbox across channels, completing with a disposition, internal
/// notes on the case. Sign-in decides who may call these (the agent's own routes); these endpoints only apply the
/// domain rules: unknown ids 404, a contact no longer the agent's 409, bad input 400 — all problem+json.
/// </summary>
public static class AgentWorkspaceApi
{
    public static IEndpointRouteBuilder MapAgentWorkspaceApi(this IEndpointRouteBuilder app)
    {
        app.MapHttpFunction(AgentWorkspaceFunctions.AgentContacts, context => RunAsync(context, InboxAsync));
        app.MapHttpFunction(AgentWorkspaceFunctions.AgentContactNotes, context => RunAsync(context, NoteAsync));
        app.MapHttpFunction(AgentWorkspaceFunctions.DispositionCodes, context => RunAsync(context, DispositionsAsync));
        app.MapHttpFunction(AcdFunctions.AgentContactComplete, context => RunAsync(context, CompleteAsync));
        return app;
    }

    private static AgentWorkspace Workspace(HttpContext context) => context.RequestServices.GetRequiredService<AgentWorkspace>();

    private static async Task<IResult> InboxAsync(HttpContext context)
    {
        var agentId = Route(context, "agentId");
        var contacts = await Workspace(context).InboxAsync(agentId, context.RequestAborted);
        return TypedResults.Json(new InboxView(agentId, contacts), ApiJsonContext.Default.InboxView);
    }

    private static async Task<IResult> CompleteAsync(HttpContext context)
    {
        var (request, problem) = await OptionalBodyAsync(context, ApiJsonContext.Default.CompleteRequest);
        if (problem is not null)
        {
            return problem;
        }
        var wrapUp = request is null ? null : new WrapUpDetails(request.Disposition, request.Notes);
        var contact = await Workspace(context).CompleteAsync(Route(context, "agentId"), Route(context, "contactId"), wrapUp, context.RequestAborted);
        return TypedResults.Json(new ContactView(contact, null, null, null), ApiJsonContext.Default.ContactView);
    }

    private static async Task<IResult> NoteAsync(HttpContext context)
    {
        var (request, problem) = await JsonBody.ReadAsync(context, ApiJsonContext.Default.NoteRequest);
        if (problem is not null)
        {
            return problem;
        }
        var entry = await Workspace(context).AddNoteAsync(Route(context, "agentId"), Route(context, "contactId"), request!.Text, context.RequestAborted);
        return TypedResults.Json(entry, ApiJsonContext.Default.TimelineEntry, statusCode: StatusCodes.Status201Created);
    }

    private static Task<IResult> DispositionsAsync(HttpContext context)
    {
        var queueId = context.Request.Query["queueId"].FirstOrDefault();
        var codes = string.IsNullOrWhiteSpace(queueId)
            ? context.RequestServices.GetRequiredService<RoutingRulesCatalog>().Current.Dispositions
            : Workspace(context).DispositionsFor(queueId);
        return Task.FromResult<IResult>(TypedResults.Json(new DispositionsView(string.IsNullOrWhiteSpace(queueId) ? null : queueId, codes.Count > 0, codes),
            ApiJsonContext.Default.DispositionsView));
    }
}
