using System.Text.Json;
using System.Text.Json.Serialization;
using ContactCenter.Core.Outbound;
using ContactCenter.Functions.Hosting;

namespace ContactCenter.Functions.Outbound;

public sealed record RetryRequest(int? MaxAttempts, TimeSpan? NoAnswerDelay, TimeSpan? VoicemailDelay, TimeSpan? FailedDelay);

/// <param name="CallingHours">Day ("mon") to "HH:mm-HH:mm" ranges in the callee's local time; omitted: Monday-Friday 09:00-20:00.</param>
public sealed record CampaignRequest(string? Id, string? Name, string? QueueId, string? CallerId, string? Greeting, string? TimeZone,
    Dictionary<string, string[]>? CallingHours, string[]? Holidays, RetryRequest? Retry, int? MaxConcurrentCalls);

public sealed record CampaignStatusRequest(string? Status);

public sealed record CampaignView(Campaign Campaign, IReadOnlyDictionary<string, int> Counts, IReadOnlyList<CampaignEntry> Entries, string? NextAfter);

public sealed record EntriesAdded(int Added, int Duplicates, int DoNotCall, int Invalid, IReadOnlyList<EntryAddResult> Results);

public sealed record DoNotCallView(string PhoneNumber, DateTimeOffset Since);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(CampaignRequest))]
[JsonSerializable(typeof(CampaignStatusRequest))]
[JsonSerializable(typeof(List<NewEntry>))]
[JsonSerializable(typeof(Campaign))]
[JsonSerializable(typeof(CampaignView))]
[JsonSerializable(typeof(EntriesAdded))]
[JsonSerializable(typeof(DoNotCallView))]
internal sealed partial class OutboundJsonContext : JsonSerializerContext;

/// <summary>
/// Outbound campaigns over HTTP: create or update a campaign, add numbers, start/pause/resume/cancel, read progress, and
/// the global do-not-call list. Unknown campaigns and unlisted numbers are 404, a status change that does not apply 409,
/// bad input 400 — all problem+json.
/// </summary>
public static class OutboundApi
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    public static IEndpointRouteBuilder MapOutboundApi(this IEndpointRouteBuilder app)
    {
        app.MapHttpFunction(OutboundFunctions.Campaigns, context => Guarded(context, SaveAsync));
        app.MapHttpFunction(OutboundFunctions.Campaign, context => Guarded(context, GetAsync));
        app.MapHttpFunction(OutboundFunctions.CampaignStatus, context => Guarded(context, StatusAsync));
        app.MapHttpFunction(OutboundFunctions.CampaignEntries, context => Guarded(context, AddEntriesAsync));
        app.MapHttpFunction(OutboundFunctions.DoNotCall, context => Guarded(context, DoNotCallAsync));
        return app;
    }

    private static async Task<IResult> SaveAsync(HttpContext context, CampaignDialer dialer)
    {
        var (request, problem) = await JsonBody.ReadAsync(context, OutboundJsonContext.Default.CampaignRequest);
        if (problem is not null)
        {
            return problem;
        }
        CallingWindow? hours = null;
        if (request!.CallingHours is not null || request.Holidays is not null)
        {
            try
            {
                hours = new CallingWindow(
                    (request.CallingHours ?? CallingWindow.Default.Weekly.ToDictionary(d => d.Key, d => d.Value.ToArray()))
                        .ToDictionary(d => d.Key, d => (IReadOnlyList<string>)(d.Value ?? [])),
                    request.Holidays);
            }
            catch (ArgumentException ex)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["callingHours"] = [ex.Message] });
            }
        }
        var defaults = RetryPolicy.Default;
        var retry = request.Retry is { } r
            ? new RetryPolicy(r.MaxAttempts ?? defaults.MaxAttempts, r.NoAnswerDelay ?? defaults.NoAnswerDelay, r.VoicemailDelay ?? defaults.VoicemailDelay, r.FailedDelay ?? defaults.FailedDelay)
            : null;
        var (campaign, created) = await dialer.SaveCampaignAsync(new CampaignSettings(request.Id, request.Name, request.QueueId, request.CallerId, request.TimeZone,
            hours, retry, request.MaxConcurrentCalls, request.Greeting), context.RequestAborted);
        return created
            ? TypedResults.Json(campaign, OutboundJsonContext.Default.Campaign, statusCode: StatusCodes.Status201Created)
            : TypedResults.Json(campaign, OutboundJsonContext.Default.Campaign);
    }

    private static async Task<IResult> GetAsync(HttpContext context, CampaignDialer dialer)
    {
        var campaignId = Route(context, "campaignId");
        var query = context.Request.Query;
        var limit = DefaultPageSize;
        if (query.ContainsKey("limit") && (!int.TryParse(query["limit"], out limit) || limit is < 1 or > MaxPageSize))
        {
            throw new ArgumentException($"Query parameter 'limit' must be a whole number from 1 to {MaxPageSize}.");
        }
        var after = query["after"].FirstOrDefault() is { Length: > 0 } a ? a : null;
        var campaign = await dialer.GetCampaignAsync(campaignId, context.RequestAborted);
        var counts = await dialer.CountEntriesAsync(campaignId, context.RequestAborted);
        var (entries, next) = await dialer.ListEntriesAsync(campaignId, after, limit, context.RequestAborted);
        var named = counts.ToDictionary(c => JsonNamingPolicy.CamelCase.ConvertName(c.Key.ToString()), c => c.Value);
        return TypedResults.Json(new CampaignView(campaign, named, entries, next), OutboundJsonContext.Default.CampaignView);
    }

    private static async Task<IResult> StatusAsync(HttpContext context, CampaignDialer dialer)
    {
        var (request, problem) = await JsonBody.ReadAsync(context, OutboundJsonContext.Default.CampaignStatusRequest);
        if (problem is not null)
        {
            return problem;
        }
        CampaignStatus? target = request!.Status?.Trim().ToLowerInvariant() switch
        {
            "running" => CampaignStatus.Running,
            "paused" => CampaignStatus.Paused,
            "cancelled" or "canceled" => CampaignStatus.Cancelled,
            _ => null,
        };
        if (target is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = ["Use running (start or resume), paused or cancelled."] });
        }
        var campaign = await dialer.SetStatusAsync(Route(context, "campaignId"), target.Value, context.RequestAborted);
        return TypedResults.Json(campaign, OutboundJsonContext.Default.Campaign);
    }

    private static async Task<IResult> AddEntriesAsync(HttpContext context, CampaignDialer dialer)
    {
        var (entries, problem) = await JsonBody.ReadAsync(context, OutboundJsonContext.Default.ListNewEntry);
        if (problem is not null)
        {
            return problem;
        }
        if (entries!.Count is 0 or > CampaignDialer.MaxEntriesPerRequest)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["entries"] = [$"Send a JSON array of 1 to {CampaignDialer.MaxEntriesPerRequest} entries, not {entries.Count}."],
            });
        }
        var results = await dialer.AddEntriesAsync(Route(context, "campaignId"), entries, context.RequestAborted);
        int Count(EntryAddStatus status) => results.Count(r => r.Status == status);
        return TypedResults.Json(new EntriesAdded(Count(EntryAddStatus.Added), Count(EntryAddStatus.Duplicate), Count(EntryAddStatus.DoNotCall), Count(EntryAddStatus.Invalid), results),
            OutboundJsonContext.Default.EntriesAdded);
    }

    private static async Task<IResult> DoNotCallAsync(HttpContext context, CampaignDialer dialer)
    {
        var number = Uri.UnescapeDataString(Route(context, "phoneNumber"));
        if (HttpMethods.IsPut(context.Request.Method))
        {
            var (listed, since) = await dialer.AddDoNotCallAsync(number, context.RequestAborted);
            return TypedResults.Json(new DoNotCallView(listed, since), OutboundJsonContext.Default.DoNotCallView);
        }
        if (HttpMethods.IsDelete(context.Request.Method))
        {
            return await dialer.RemoveDoNotCallAsync(number, context.RequestAborted)
                ? TypedResults.NoContent()
                : FunctionEndpoints.Problem(StatusCodes.Status404NotFound, "Not found", $"{number} is not on the do-not-call list.");
        }
        var (normalized, listedSince) = await dialer.GetDoNotCallAsync(number, context.RequestAborted);
        return listedSince is { } at
            ? TypedResults.Json(new DoNotCallView(normalized, at), OutboundJsonContext.Default.DoNotCallView)
            : FunctionEndpoints.Problem(StatusCodes.Status404NotFound, "Not found", $"{normalized} is not on the do-not-call list.");
    }

    private static string Route(HttpContext context, string name) => (string)context.Request.RouteValues[name]!;

    /// <summary>Domain refusals become problem+json with the status that says what went wrong.</summary>
    private static async Task<IResult> Guarded(HttpContext context, Func<HttpContext, CampaignDialer, Task<IResult>> handler)
    {
        try
        {
            return await handler(context, context.RequestServices.GetRequiredService<CampaignDialer>());
        }
        catch (CampaignValidationException ex)
        {
            return TypedResults.ValidationProblem(ex.Errors.ToDictionary(e => e.Key, e => e.Value));
        }
        catch (UnknownCampaignException ex)
        {
            return FunctionEndpoints.Problem(StatusCodes.Status404NotFound, "Not found", ex.Message);
        }
        catch (CampaignStateException ex)
        {
            return FunctionEndpoints.Problem(StatusCodes.Status409Conflict, "Not possible in this status", ex.Message);
        }
        catch (ArgumentException ex)
        {
            return FunctionEndpoints.Problem(StatusCodes.Status400BadRequest, "Invalid request", ex.Message);
        }
    }
}
