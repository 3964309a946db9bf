using ContactCenter.Core.Routing;
using ContactCenter.Core.State;
using ContactCenter.Functions.Hosting;

namespace ContactCenter.Functions.Acd;

public sealed record ContactRequest(string? Id, string? Channel, string? QueueId, int? Priority, Dictionary<string, int>? Skills, string? CustomerId, string? PreferredAgentId);

/// <param name="TeamsUserId">The agent's Entra object id (a GUID) when they use Teams.</param>
/// <param name="RingTarget">"default" or "teams"; omitted keeps the agent's choice.</param>
public sealed record AgentRequest(string? Name, Dictionary<string, int>? Skills, Dictionary<string, int>? Capacity, string? VoiceAddress = null,
    string? TeamsUserId = null, string? RingTarget = null);

public sealed record PresenceRequest(string? Presence);

/// <param name="EstimatedWaitSeconds">Null when nobody who could serve the contact is signed in.</param>
public sealed record ContactView(ContactState Contact, int? Position, double? EstimatedWaitSeconds, string? EstimateBasis);

/// <param name="Open">Within business hours now (always true for a queue without hours).</param>
public sealed record QueueView(string Id, string Policy, bool Open, int Waiting, IReadOnlyList<string> ContactIds, int RulesVersion);

/// <summary>
/// The ACD over HTTP: contacts in, agents' presence and offer decisions, queue views, staffing (the routing rules are
/// <see cref="RoutingRulesApi"/>). Changes go through the <see cref="AcdDispatcher"/>, which queues the routing they
/// allow (Service Bus in Azure, the local dispatcher locally): offers follow within moments and show on the agent
/// (GET agents/{id}) and the contact. Unknown queues, agents and contacts are 404, actions that no longer apply 409,
/// bad input 400 — all problem+json.
/// </summary>
public static class AcdApi
{
    public static IEndpointRouteBuilder MapAcdApi(this IEndpointRouteBuilder app)
    {
        app.MapHttpFunction(AcdFunctions.Queue, context => Guarded(context, QueueAsync));
        app.MapHttpFunction(AcdFunctions.Staffing, context => Guarded(context, StaffingAsync));
        app.MapHttpFunction(AcdFunctions.Contacts, context => Guarded(context, EnqueueAsync));
        app.MapHttpFunction(AcdFunctions.Contact, context => Guarded(context, ContactAsync));
        app.MapHttpFunction(AcdFunctions.Agent, context => Guarded(context, AgentAsync));
        app.MapHttpFunction(AcdFunctions.AgentPresence, context => Guarded(context, PresenceAsync));
        app.MapHttpFunction(AcdFunctions.AgentOffer, context => Guarded(context, OfferDecisionAsync));
        return app;
    }

    private static async Task<IResult> QueueAsync(HttpContext context, AcdService acd)
    {
        var queueId = Route(context, "queueId");
        var queue = context.RequestServices.GetRequiredService<RoutingRulesCatalog>().Find(queueId) ?? throw new UnknownQueueException(queueId);
        var waiting = await acd.WaitingAsync(queueId, context.RequestAborted);
        var open = queue.Hours?.IsOpen(context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow()) ?? true;
        return TypedResults.Json(new QueueView(queue.Id, queue.Policy.ToString(), open, waiting.Count, waiting.Take(100).ToList(),
            context.RequestServices.GetRequiredService<RoutingRulesCatalog>().Current.Version), ApiJsonContext.Default.QueueView);
    }

    private static Task<IResult> StaffingAsync(HttpContext context, AcdService acd)
    {
        var query = context.Request.Query;
        double Number(string name, double? fallback = null) =>
            double.TryParse(query[name], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value
            : fallback ?? throw new ArgumentException($"Query parameter '{name}' is required and must be a number.");
        var result = ErlangC.AgentsNeeded(Number("arrivalsPerHour"), Number("ahtSeconds"), Number("targetSeconds", 20), Number("serviceLevel", 0.8));
        return Task.FromResult<IResult>(TypedResults.Json(result, ApiJsonContext.Default.ErlangCResult));
    }

    private static async Task<IResult> EnqueueAsync(HttpContext context, AcdService acd)
    {
        var (request, problem) = await JsonBody.ReadAsync(context, ApiJsonContext.Default.ContactRequest);
        if (problem is not null)
        {
            return problem;
        }
        var errors = new Dictionary<string, string[]>();
        if (!Enum.TryParse<Channel>(request!.Channel, ignoreCase: true, out var channel) || !Enum.IsDefined(channel))
        {
            errors["channel"] = ["Use voice, sms, email or chat."];
        }
        if (string.IsNullOrWhiteSpace(request.QueueId))
        {
            errors["queueId"] = ["A queue is required."];
        }
        if (request.Id is { } id && !StateKeys.IsValid(id, out var why))
        {
            errors["id"] = [$"The id {why}."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var contact = await Dispatcher(context).EnqueueAsync(new NewContact(request.Id ?? Guid.NewGuid().ToString("N"), channel, request.QueueId!)
        {
            Priority = request.Priority,
            RequiredSkills = request.Skills?.Select(s => new SkillRequirement(s.Key, s.Value)).ToList(),
            CustomerId = request.CustomerId,
            PreferredAgentId = request.PreferredAgentId,
        }, context.RequestAborted);
        return TypedResults.Json(await ViewAsync(acd, contact, context), ApiJsonContext.Default.ContactView, statusCode: StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> ContactAsync(HttpContext context, AcdService acd)
    {
        var contact = await acd.GetContactAsync(Route(context, "contactId"), context.RequestAborted);
        return TypedResults.Json(await ViewAsync(acd, contact, context), ApiJsonContext.Default.ContactView);
    }

    private static async Task<IResult> AgentAsync(HttpContext context, AcdService acd)
    {
        var agentId = Route(context, "agentId");
        if (HttpMethods.IsGet(context.Request.Method))
        {
            return TypedResults.Json(await acd.GetAgentAsync(agentId, context.RequestAborted), ApiJsonContext.Default.AgentState);
        }
        var (request, problem) = await JsonBody.ReadAsync(context, ApiJsonContext.Default.AgentRequest);
        if (problem is not null)
        {
            return problem;
        }
        Dictionary<Channel, int>? capacity = null;
        if (request!.Capacity is { } raw)
        {
            capacity = [];
            foreach (var (name, value) in raw)
            {
                capacity[Enum.TryParse<Channel>(name, ignoreCase: true, out var channel) && Enum.IsDefined(channel)
                    ? channel
                    : throw new ArgumentException($"Unknown channel '{name}' in capacity; use voice, sms, email or chat.")] = value;
            }
        }
        if (request.VoiceAddress is { Length: > 0 } address && !ContactCenter.Core.Voice.CallAddresses.TryParse(address, out _))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["voiceAddress"] = [$"'{address}' is not a call address: use an E.164 number (+14255550123), an ACS user (8:acs:...) or a Teams user (8:orgid:<object id>)."],
            });
        }
        RingTarget? ringTarget = null;
        if (request.RingTarget is { } rawTarget)
        {
            if (!TeamsIdentity.TryParseRingTarget(rawTarget, out var parsed))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["ringTarget"] = ["Use \"default\" (voiceAddress) or \"teams\" (the Teams identity)."] });
            }
            ringTarget = parsed;
        }
        if (request.TeamsUserId is { Length: > 0 } teamsUserId && TeamsIdentity.Normalize(teamsUserId) is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["teamsUserId"] = [$"'{teamsUserId}' is not a GUID: use the agent's Entra object id."] });
        }
        if (ringTarget == RingTarget.Teams && string.IsNullOrWhiteSpace(request.TeamsUserId))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["ringTarget"] = [new NoTeamsIdentityException(agentId).Message] }, title: "No Teams identity");
        }
        var agent = await acd.UpsertAgentAsync(new AgentProfile(agentId, request.Name, request.Skills ?? [], capacity)
        {
            VoiceAddress = request.VoiceAddress, TeamsUserId = request.TeamsUserId, RingTarget = ringTarget,
        }, context.RequestAborted);
        return TypedResults.Json(agent, ApiJsonContext.Default.AgentState);
    }

    private static async Task<IResult> PresenceAsync(HttpContext context, AcdService acd)
    {
        var (request, problem) = await JsonBody.ReadAsync(context, ApiJsonContext.Default.PresenceRequest);
        if (problem is not null)
        {
            return problem;
        }
        if (!Enum.TryParse<Presence>(request!.Presence, ignoreCase: true, out var presence) || !Enum.IsDefined(presence))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["presence"] = ["Use offline, available, away or busy."] });
        }
        var agent = await Dispatcher(context).SetPresenceAsync(Route(context, "agentId"), presence, context.RequestAborted);
        return TypedResults.Json(agent, ApiJsonContext.Default.AgentState);
    }

    private static async Task<IResult> OfferDecisionAsync(HttpContext context, AcdService acd)
    {
        var (agentId, contactId) = (Route(context, "agentId"), Route(context, "contactId"));
        _ = await acd.GetAgentAsync(agentId, context.RequestAborted);
        var contact = Route(context, "decision") switch
        {
            "accept" => await Dispatcher(context).AcceptAsync(agentId, contactId, context.RequestAborted),
            "decline" => await Dispatcher(context).DeclineAsync(agentId, contactId, context.RequestAborted),
            var other => throw new ArgumentException($"'{other}' is not a decision; use accept or decline."),
        };
        return TypedResults.Json(new ContactView(contact, null, null, null), ApiJsonContext.Default.ContactView);
    }

    private static AcdDispatcher Dispatcher(HttpContext context) => context.RequestServices.GetRequiredService<AcdDispatcher>();

    private static async Task<ContactView> ViewAsync(AcdService acd, ContactState contact, HttpContext context)
    {
        if (contact.Status != ContactStatus.Queued)
        {
            return new ContactView(contact, null, null, null);
        }
        var position = await acd.GetPositionAsync(contact.Id, context.RequestAborted);
        return new ContactView(contact, position.Position, position.EstimatedWait?.TotalSeconds, position.EstimateBasis);
    }

    private static string Route(HttpContext context, string name) => (string)context.Request.RouteValues[name]!;

    /// <summary>Domain refusals become problem+json with the status that says what went wrong.</summary>
    private static async Task<IResult> Guarded(HttpContext context, Func<HttpContext, AcdService, Task<IResult>> handler)
    {
        try
        {
            return await handler(context, context.RequestServices.GetRequiredService<AcdService>());
        }
        catch (Exception ex) when (ex is UnknownQueueException or UnknownAgentException or UnknownContactException)
        {
            return FunctionEndpoints.Problem(StatusCodes.Status404NotFound, "Not found", ex.Message);
        }
        catch (StaleActionException ex)
        {
            return FunctionEndpoints.Problem(StatusCodes.Status409Conflict, "No longer possible", ex.Message);
        }
        catch (ArgumentException ex)
        {
            return FunctionEndpoints.Problem(StatusCodes.Status400BadRequest, "Invalid request", ex.Message);
        }
    }
}
