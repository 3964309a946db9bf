using System.Text.Json;
using System.Text.Json.Nodes;
using ContactCenter.Functions.Hosting;
using ContactCenter.Functions.Local.Messaging;

namespace ContactCenter.Functions.Local.CallAutomation;

/// <summary>
/// The simulated people's side, over HTTP: the customer simulator page, what a caller hears and does on a call, and
/// how agents and customers answer when called. (Placing a call is POST /simulator/calls, in <see cref="AcsSimulator"/>.)
/// </summary>
public static class CallSimulatorEndpoints
{
    public const int MaxPartyDelaySeconds = 600;

    public static IEndpointRouteBuilder MapCallSimulator(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/simulator");
        group.MapGet("", ServePageAsync);
        group.MapGet("/calls", context => JsonAsync(context, Simulator(context).List()));
        group.MapGet("/calls/{id}", context => Simulator(context).Describe(Id(context)) is { } call ? JsonAsync(context, call) : UnknownCallAsync(context));
        group.MapPost("/calls/{id}/press", context => ActAsync(context, "tones", (simulator, id, tones) => simulator.Press(id, tones),
            value => value.Length > 0 && value.All(c => char.IsAsciiDigit(c) || "*#ABCDabcd".Contains(c)), "tones: one or more of 0-9, *, #, A-D."));
        group.MapPost("/calls/{id}/say", context => ActAsync(context, "phrase", (simulator, id, phrase) => simulator.Say(id, phrase),
            value => value.Trim().Length > 0, "phrase: the words the caller says."));
        group.MapPost("/calls/{id}/hangup", context => Simulator(context).HangUpCaller(Id(context))
            ? Accepted(context) : UnknownCallAsync(context));
        group.MapGet("/parties", context =>
        {
            var parties = Simulator(context).DescribeParties();
            parties["messaging"] = context.RequestServices.GetRequiredService<MessagingSimulator>().DescribeParties();
            return JsonAsync(context, parties);
        });
        group.MapPost("/parties/{party}", ConfigurePartyAsync);
        return app;
    }

    private static CallAutomationSimulator Simulator(HttpContext context) => context.RequestServices.GetRequiredService<CallAutomationSimulator>();

    private static string Id(HttpContext context) => (string)context.Request.RouteValues["id"]!;

    private static async Task ServePageAsync(HttpContext context)
    {
        await using var page = typeof(CallSimulatorEndpoints).Assembly.GetManifestResourceStream("ContactCenter.Functions.customer-simulator.html")
            ?? throw new InvalidOperationException("The customer simulator page is not embedded.");
        context.Response.ContentType = "text/html; charset=utf-8";
        await page.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    private static async Task ActAsync(HttpContext context, string field, Func<CallAutomationSimulator, string, string, bool> act, Func<string, bool> valid, string hint)
    {
        var (body, problem) = await ReadObjectAsync(context);
        if (problem is not null)
        {
            await problem.ExecuteAsync(context);
            return;
        }
        if (SimulatorIdentifiers.Text(body![field]) is not { } value || !valid(value))
        {
            await TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [hint] }).ExecuteAsync(context);
            return;
        }
        if (!act(Simulator(context), Id(context), value))
        {
            await UnknownCallAsync(context);
            return;
        }
        await Accepted(context);
    }

    private static async Task ConfigurePartyAsync(HttpContext context)
    {
        var party = Uri.UnescapeDataString((string)context.Request.RouteValues["party"]!);
        var (body, problem) = await ReadObjectAsync(context);
        if (problem is not null)
        {
            await problem.ExecuteAsync(context);
            return;
        }
        var errors = new Dictionary<string, string[]>();
        var isEmail = party.Contains('@', StringComparison.Ordinal);
        var callsOrTexts = body!["answer"] is not null || body["afterSeconds"] is not null || body["sms"] is not null;
        if (isEmail ? callsOrTexts : !(SimulatorIdentifiers.IsE164(party) || party.StartsWith("8:", StringComparison.Ordinal) || party.StartsWith("4:+", StringComparison.Ordinal)))
        {
            errors["party"] = ["An E.164 number (+14255550100) or a raw id (8:acs:..., 8:orgid:..., 4:+1425...); an email address for \"email\" only."];
        }
        if (body["answer"] is null && body["sms"] is null && body["email"] is null)
        {
            errors["answer"] = ["Set answer (calls), sms (texts) or email (emails)."];
        }
        PartyAnswer? answer = null;
        if (body["answer"] is not null && (answer = CallAutomationSimulator.ParseAnswer(SimulatorIdentifiers.Text(body["answer"]))) is null)
        {
            errors["answer"] = ["One of person, voicemail, no-answer, busy, decline."];
        }
        double seconds = 0;
        if (body["afterSeconds"] is { } after && !(after is JsonValue v && v.TryGetValue(out seconds) && seconds is >= 0 and <= MaxPartyDelaySeconds))
        {
            errors["afterSeconds"] = [$"A number of seconds from 0 to {MaxPartyDelaySeconds}."];
        }
        SmsBehaviour? sms = null;
        if (body["sms"] is not null && (sms = MessagingSimulator.ParseSms(SimulatorIdentifiers.Text(body["sms"]))) is null)
        {
            errors["sms"] = ["One of deliver, fail."];
        }
        if (sms is not null && !SimulatorIdentifiers.IsE164(party))
        {
            errors["party"] = ["Texts go to E.164 numbers such as +14255550100."];
        }
        EmailBehaviour? email = null;
        if (body["email"] is not null && (email = MessagingSimulator.ParseEmail(SimulatorIdentifiers.Text(body["email"]))) is null)
        {
            errors["email"] = ["One of deliver, bounce, fail."];
        }
        if (email is not null && !isEmail)
        {
            errors["party"] = ["Emails go to email addresses such as ada@example.com."];
        }
        if (errors.Count > 0)
        {
            await TypedResults.ValidationProblem(errors).ExecuteAsync(context);
            return;
        }
        var configured = new JsonObject { ["party"] = isEmail ? party : SimulatorIdentifiers.Normalize(party) };
        if (answer is not null)
        {
            var behaviour = new PartyBehaviour(answer.Value, body["afterSeconds"] is null ? DefaultDelay(party) : TimeSpan.FromSeconds(seconds));
            Simulator(context).SetParty(party, behaviour);
            configured["answer"] = CallAutomationSimulator.Name(behaviour.Answer);
            configured["afterSeconds"] = behaviour.After.TotalSeconds;
        }
        var messaging = context.RequestServices.GetRequiredService<MessagingSimulator>();
        if (sms is not null)
        {
            messaging.SetSmsBehaviour(party, sms.Value);
            configured["sms"] = MessagingSimulator.Name(sms.Value);
        }
        if (email is not null)
        {
            messaging.SetEmailBehaviour(party, email.Value);
            configured["email"] = MessagingSimulator.Name(email.Value);
        }
        await JsonAsync(context, configured);
    }

    private static TimeSpan DefaultDelay(string party) => SimulatorIdentifiers.IsPhone(SimulatorIdentifiers.Normalize(party)) ? TimeSpan.FromSeconds(3) : TimeSpan.FromSeconds(1);

    internal static async Task<(JsonObject? Body, IResult? Problem)> ReadObjectAsync(HttpContext context)
    {
        if (!context.Request.HasJsonContentType())
        {
            return (null, FunctionEndpoints.Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Send the body as application/json."));
        }
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) is JsonObject body
                ? (body, null)
                : (null, FunctionEndpoints.Problem(StatusCodes.Status400BadRequest, "Invalid request body", "The body must be a JSON object."));
        }
        catch (JsonException ex)
        {
            return (null, FunctionEndpoints.Problem(StatusCodes.Status400BadRequest, "Invalid request body", $"The body is not valid JSON: {ex.Message}"));
        }
    }

    private static Task JsonAsync(HttpContext context, JsonNode node) =>
        TypedResults.Text(node.ToJsonString(), "application/json").ExecuteAsync(context);

    private static Task Accepted(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status202Accepted;
        return Task.CompletedTask;
    }

    private static Task UnknownCallAsync(HttpContext context) =>
        FunctionEndpoints.Problem(StatusCodes.Status404NotFound, "Unknown call", $"There is no live simulated call '{Id(context)}'.").ExecuteAsync(context);
}
