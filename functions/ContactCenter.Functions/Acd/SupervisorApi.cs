using ContactCenter.Core.Routing;
using ContactCenter.Functions.Hosting;
using static ContactCenter.Functions.Acd.WorkspaceProblems;

namespace ContactCenter.Functions.Acd;

public sealed record ReassignRequest(string? AgentId);

public sealed record SkillsRequest(Dictionary<string, int>? Skills);

/// <param name="Outcome">"offered" when a new offer was made, "unchanged" when the contact was already with that agent.</param>
/// <param name="WithdrawnFrom">The agent who held the contact (offered or assigned) before.</param>
public sealed record ReassignView(ContactState Contact, string Outcome, string PreviousStatus, string? WithdrawnFrom, DateTimeOffset? OfferExpiresAt);

public sealed record SkillsView(AgentState Agent, IReadOnlyList<string> QueuesRouted);

/// <summary>
/// Supervisors over HTTP: the live queue and agent board, reassigning a contact to a named agent, changing an agent's
/// skills. Sign-in restricts these to supervisors; here, unknown ids 404, impossible reassignments 409, bad input 400.
/// </summary>
public static class SupervisorApi
{
    public static IEndpointRouteBuilder MapSupervisorApi(this IEndpointRouteBuilder app)
    {
        app.MapHttpFunction(AgentWorkspaceFunctions.SupervisorBoard, context => RunAsync(context, BoardAsync));
        app.MapHttpFunction(AgentWorkspaceFunctions.SupervisorReassign, context => RunAsync(context, ReassignAsync));
        app.MapHttpFunction(AgentWorkspaceFunctions.SupervisorAgentSkills, context => RunAsync(context, SkillsAsync));
        return app;
    }

    private static AcdDispatcher Dispatcher(HttpContext context) => context.RequestServices.GetRequiredService<AcdDispatcher>();

    private static async Task<IResult> BoardAsync(HttpContext context) =>
        TypedResults.Json(await Dispatcher(context).Acd.ReadBoardAsync(context.RequestAborted), ApiJsonContext.Default.SupervisorBoard);

    private static async Task<IResult> ReassignAsync(HttpContext context)
    {
        var (request, problem) = await JsonBody.ReadAsync(context, ApiJsonContext.Default.ReassignRequest);
        if (problem is not null)
        {
            return problem;
        }
        if (string.IsNullOrWhiteSpace(request!.AgentId))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["agentId"] = ["Name the agent to offer the contact to."] });
        }
        var result = await Dispatcher(context).ReassignAsync(Route(context, "contactId"), request.AgentId.Trim(), context.RequestAborted);
        return TypedResults.Json(new ReassignView(result.Contact, result.Offer is null ? "unchanged" : "offered",
            result.PreviousStatus.ToString().ToLowerInvariant(), result.WithdrawnFrom, result.Contact.OfferExpiresAt), ApiJsonContext.Default.ReassignView);
    }

    private static async Task<IResult> SkillsAsync(HttpContext context)
    {
        var (request, problem) = await JsonBody.ReadAsync(context, ApiJsonContext.Default.SkillsRequest);
        if (problem is not null)
        {
            return problem;
        }
        if (request!.Skills is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["skills"] = ["Give the agent's skills, e.g. {\"skills\":{\"billing\":6}} (1-10 each; {} clears them)."] });
        }
        var changed = await Dispatcher(context).SetSkillsAsync(Route(context, "agentId"), request.Skills, context.RequestAborted);
        return TypedResults.Json(new SkillsView(changed.Agent, changed.QueuesToRoute), ApiJsonContext.Default.SkillsView);
    }
}
