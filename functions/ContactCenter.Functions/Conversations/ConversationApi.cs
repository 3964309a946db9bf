using ContactCenter.Core.Conversations;
using ContactCenter.Core.Routing;
using ContactCenter.Functions.Hosting;
using ContactCenter.Functions.Security;

namespace ContactCenter.Functions.Conversations;

public sealed record IdentityRequest(string? Phone, string? Email);

/// <summary>The customer to merge into the one named in the route (the survivor).</summary>
public sealed record MergeRequest(string? CustomerId);

public sealed record ReplyRequest(string? AgentId, string? Text, string? Channel);

public sealed record CustomerView(CustomerRecord Customer, ConversationRecord? OpenConversation);

public sealed record TimelineView(string CustomerId, IReadOnlyList<TimelineEntry> Entries);

/// <summary>Any agent sees a customer's record and timeline, and answers their case on the channel they used.</summary>
public static class ConversationApi
{
    public static IEndpointRouteBuilder MapConversationApi(this IEndpointRouteBuilder app)
    {
        app.MapHttpFunction(ConversationFunctions.Customers, context => Guarded(context, FindAsync));
        app.MapHttpFunction(ConversationFunctions.Customer, context => Guarded(context, CustomerAsync));
        app.MapHttpFunction(ConversationFunctions.CustomerIdentities, context => Guarded(context, AddIdentityAsync));
        app.MapHttpFunction(ConversationFunctions.CustomerMerge, context => Guarded(context, MergeAsync));
        app.MapHttpFunction(ConversationFunctions.CustomerTimeline, context => Guarded(context, TimelineAsync));
        app.MapHttpFunction(ConversationFunctions.Conversation, context => Guarded(context, ConversationAsync));
        app.MapHttpFunction(ConversationFunctions.ConversationReplies, context => Guarded(context, ReplyAsync));
        app.MapHttpFunction(ConversationFunctions.ConversationResolve, context => Guarded(context, ResolveAsync));
        return app;
    }

    /// <summary>GET /api/customers?phone=+1...|email=...: the customer with that identity.</summary>
    private static async Task<IResult> FindAsync(HttpContext context, ConversationService service)
    {
        var query = context.Request.Query;
        var text = query["phone"].FirstOrDefault() ?? query["email"].FirstOrDefault()
            ?? throw new ArgumentException("Ask by phone (?phone=+14255550100) or email (?email=ann@example.com).");
        var customer = await service.FindCustomerAsync(CustomerIdentity.Parse(text), context.RequestAborted)
            ?? throw new UnknownCustomerException(text);
        return await ViewAsync(service, customer, context.RequestAborted);
    }

    private static async Task<IResult> CustomerAsync(HttpContext context, ConversationService service) =>
        await ViewAsync(service, await service.GetCustomerAsync(Route(context, "customerId"), context.RequestAborted), context.RequestAborted);

    private static async Task<IResult> AddIdentityAsync(HttpContext context, ConversationService service)
    {
        var (request, problem) = await JsonBody.ReadAsync(context, ApiJsonContext.Default.IdentityRequest);
        if (problem is not null)
        {
            return problem;
        }
        var identity = request!.Phone is { } phone ? CustomerIdentity.Phone(phone)
            : request.Email is { } email ? CustomerIdentity.Email(email)
            : throw new ArgumentException("Give a phone (E.164) or an email address.");
        var customerId = Route(context, "customerId");
        try
        {
            return await ViewAsync(service, await service.AddIdentityAsync(customerId, identity, context.RequestAborted), context.RequestAborted);
        }
        catch (ConversationConflictException ex) when (ex.OwnerCustomerId is { } owner)
        {
            // Say how to make them one customer: the merge endpoint, with the body to send.
            return TypedResults.Problem(
                $"{identity} belongs to customer {owner}. If they are the same person, merge the records: POST /api/customers/{customerId}/merge {{\"customerId\":\"{owner}\"}}.",
                statusCode: StatusCodes.Status409Conflict, title: "Identity belongs to another customer",
                extensions: new Dictionary<string, object?> { ["ownerCustomerId"] = owner, ["merge"] = $"/api/customers/{customerId}/merge" });
        }
    }

    /// <summary>POST /api/customers/{id}/merge {"customerId":"other"}: the other record is merged into this one (200, the survivor).</summary>
    private static async Task<IResult> MergeAsync(HttpContext context, ConversationService service)
    {
        var (request, problem) = await JsonBody.ReadAsync(context, ApiJsonContext.Default.MergeRequest);
        if (problem is not null)
        {
            return problem;
        }
        if (string.IsNullOrWhiteSpace(request!.CustomerId))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["customerId"] = ["Name the customer to merge into this one."] });
        }
        var survivor = await service.MergeCustomersAsync(Route(context, "customerId"), request.CustomerId.Trim(), context.RequestAborted);
        return await ViewAsync(service, survivor, context.RequestAborted);
    }

    private static async Task<IResult> TimelineAsync(HttpContext context, ConversationService service)
    {
        var customerId = Route(context, "customerId");
        await service.GetCustomerAsync(customerId, context.RequestAborted); // 404 for an unknown customer
        var limit = int.TryParse(context.Request.Query["limit"], out var l) ? l : 100;
        return TypedResults.Json(new TimelineView(customerId, await service.TimelineAsync(customerId, limit, context.RequestAborted)), ApiJsonContext.Default.TimelineView);
    }

    private static async Task<IResult> ConversationAsync(HttpContext context, ConversationService service) =>
        TypedResults.Json(await service.GetConversationAsync(Route(context, "conversationId"), context.RequestAborted), ApiJsonContext.Default.ConversationRecord);

    private static async Task<IResult> ReplyAsync(HttpContext context, ConversationService service)
    {
        var (request, problem) = await JsonBody.ReadAsync(context, ApiJsonContext.Default.ReplyRequest);
        if (problem is not null)
        {
            return problem;
        }
        // The signed-in agent replies unless the body names another (which only supervisors may).
        request = request! with { AgentId = string.IsNullOrWhiteSpace(request.AgentId) ? context.GetWorkspaceUser().AgentId : request.AgentId };
        context.RequireActingAs(request.AgentId!);
        await context.RequireAssignedConversationAsync(Route(context, "conversationId"));
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Text))
        {
            errors["text"] = ["A reply needs text."];
        }
        Channel? channel = null;
        if (request.Channel is { } name)
        {
            if (Enum.TryParse<Channel>(name, ignoreCase: true, out var parsed) && parsed is Channel.Sms or Channel.Email)
            {
                channel = parsed;
            }
            else
            {
                errors["channel"] = ["Reply by sms or email (or leave it out for the customer's last channel)."];
            }
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var entry = await service.ReplyAsync(Route(context, "conversationId"), request.AgentId!, request.Text!, channel, context.RequestAborted);
        return TypedResults.Json(entry, ApiJsonContext.Default.TimelineEntry, statusCode: StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> ResolveAsync(HttpContext context, ConversationService service)
    {
        await context.RequireAssignedConversationAsync(Route(context, "conversationId"));
        return TypedResults.Json(await service.ResolveAsync(Route(context, "conversationId"), context.RequestAborted), ApiJsonContext.Default.ConversationRecord);
    }

    private static async Task<IResult> ViewAsync(ConversationService service, CustomerRecord customer, CancellationToken ct)
    {
        // A merged record's case is the survivor's now.
        var open = customer.MergedInto is null && customer.OpenConversationId is { } id ? await service.GetConversationAsync(id, ct) : null;
        return TypedResults.Json(new CustomerView(customer, open), ApiJsonContext.Default.CustomerView);
    }

    private static string Route(HttpContext context, string name) => (string)context.Request.RouteValues[name]!;

    private static async Task<IResult> Guarded(HttpContext context, Func<HttpContext, ConversationService, Task<IResult>> handler)
    {
        try
        {
            return await handler(context, context.RequestServices.GetRequiredService<ConversationService>());
        }
        catch (Exception ex) when (ex is UnknownCustomerException or UnknownConversationException)
        {
            return FunctionEndpoints.Problem(StatusCodes.Status404NotFound, "Not found", ex.Message);
        }
        catch (CustomerMergedException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status409Conflict, title: "Customer was merged",
                extensions: new Dictionary<string, object?> { ["customerId"] = ex.CustomerId, ["mergedInto"] = ex.SurvivorId });
        }
        catch (ConversationConflictException ex)
        {
            return FunctionEndpoints.Problem(StatusCodes.Status409Conflict, "Not possible", ex.Message);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            return FunctionEndpoints.Problem(StatusCodes.Status400BadRequest, "Invalid request", ex.Message);
        }
    }
}
