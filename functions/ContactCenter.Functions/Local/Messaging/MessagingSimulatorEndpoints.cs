using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.Functions.Hosting;
using ContactCenter.Functions.Local.CallAutomation;

namespace ContactCenter.Functions.Local.Messaging;

/// <summary>
/// The simulated customers' side of SMS and email, over HTTP: what their phones and mailboxes received from the
/// contact center, and a customer sending an email (posted to the app's inbound-email webhook as an inbound-parse
/// service would). A customer texting is POST /simulator/sms, in <see cref="AcsSimulator"/>.
/// </summary>
public static class MessagingSimulatorEndpoints
{
    public const string HttpClientName = "simulator-inbound-email";

    /// <summary>Where the app takes inbound email (the inbound-email webhook).</summary>
    public const string InboundEmailPath = "/api/email/inbound";

    /// <summary>An inbound-parse service refuses bigger emails; so does the simulated customer.</summary>
    public const long MaxEmailBytes = MessagingSimulator.MaxEmailBytes;

    public static IEndpointRouteBuilder MapMessagingSimulator(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/simulator");
        group.MapGet("/phones/{number}/messages", context =>
        {
            var number = Uri.UnescapeDataString((string)context.Request.RouteValues["number"]!).Trim();
            return SimulatorIdentifiers.IsE164(number)
                ? JsonAsync(context, Simulator(context).PhoneMessages(number))
                : TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["number"] = [$"'{number}' is not an E.164 phone number such as +14255550123."] }).ExecuteAsync(context);
        });
        group.MapGet("/mailboxes/{address}/messages", context =>
            JsonAsync(context, Simulator(context).MailboxMessages(Uri.UnescapeDataString((string)context.Request.RouteValues["address"]!).Trim())));
        group.MapPost("/email", SendEmailAsCustomerAsync);
        return app;
    }

    private static MessagingSimulator Simulator(HttpContext context) => context.RequestServices.GetRequiredService<MessagingSimulator>();

    private static async Task SendEmailAsCustomerAsync(HttpContext context)
    {
        var (body, problem) = await CallSimulatorEndpoints.ReadObjectAsync(context);
        if (problem is not null)
        {
            await problem.ExecuteAsync(context);
            return;
        }
        var (inbound, errors) = InboundEmail(body!);
        if (errors.Count > 0)
        {
            await TypedResults.ValidationProblem(errors).ExecuteAsync(context);
            return;
        }
        var target = new Uri(context.RequestServices.GetRequiredService<LocalCallAutomationRegistration.SimulatorAddress>().AppBase, InboundEmailPath);
        var client = context.RequestServices.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName);
        HttpResponseMessage response;
        try
        {
            response = await client.PostAsync(target, new StringContent(inbound.ToJsonString(), Encoding.UTF8, "application/json"), context.RequestAborted);
        }
        catch (HttpRequestException ex)
        {
            await FunctionEndpoints.Problem(StatusCodes.Status502BadGateway, "The contact center did not take the email",
                $"POST {InboundEmailPath} failed: {ex.Message}").ExecuteAsync(context);
            return;
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var answer = await response.Content.ReadAsStringAsync(context.RequestAborted);
                await FunctionEndpoints.Problem(StatusCodes.Status502BadGateway, "The contact center did not take the email",
                    $"POST {InboundEmailPath} answered {(int)response.StatusCode}{(answer.Length > 0 ? ": " + Shorten(answer) : ".")}").ExecuteAsync(context);
                return;
            }
            await JsonAsync(context, new JsonObject
            {
                ["messageId"] = inbound["messageId"]!.DeepClone(),
                ["inReplyTo"] = inbound["inReplyTo"]?.DeepClone(),
                ["references"] = inbound["references"]!.DeepClone(),
                ["status"] = (int)response.StatusCode,
            }, StatusCodes.Status202Accepted);
        }
    }

    /// <summary>
    /// The webhook's JSON from what the simulated customer wrote: {from, to[], subject, text, html, messageId, inReplyTo,
    /// references[], attachments[{name, contentType, contentBase64}]}, with a fresh Message-ID on the sender's domain.
    /// A reply names the message it answers; references default to it, so the thread holds together.
    /// </summary>
    internal static (JsonObject Inbound, Dictionary<string, string[]> Errors) InboundEmail(JsonObject body)
    {
        var errors = new Dictionary<string, string[]>();
        var from = Text(body["from"]);
        if (!IsAddress(from))
        {
            errors["from"] = ["The customer's email address, such as ada@example.com."];
        }
        var to = body["to"] switch
        {
            JsonArray many => [.. many.Select(Text)],
            JsonValue one => [Text(one)],
            _ => new List<string?>(),
        };
        if (to.Count == 0 || !to.All(IsAddress))
        {
            errors["to"] = ["One or more addresses of the contact center."];
        }
        var subject = Text(body["subject"]);
        if (subject is null)
        {
            errors["subject"] = ["The subject line (may be empty)."];
        }
        var text = Text(body["text"]);
        var html = Text(body["html"]);
        if (text is null && html is null)
        {
            errors["text"] = ["The email needs text or html."];
        }
        var inReplyTo = Text(body["inReplyTo"]);
        var references = body["references"] is JsonArray given ? given.Select(Text).OfType<string>().ToList() : [];
        if (references.Count == 0 && inReplyTo is not null)
        {
            references.Add(inReplyTo);
        }
        var attachments = new JsonArray();
        long size = 0;
        foreach (var attachment in body["attachments"] as JsonArray ?? [])
        {
            var content = Text(attachment?["contentBase64"]);
            if (Text(attachment?["name"]) is not { } name || MessagingSimulator.DecodedLength(content) is not { } length)
            {
                errors["attachments"] = ["Each attachment needs a name and contentBase64 (valid base64)."];
                break;
            }
            size += length;
            attachments.Add((JsonNode)new JsonObject
            {
                ["name"] = name,
                ["contentType"] = Text(attachment?["contentType"]) ?? "application/octet-stream",
                ["contentBase64"] = content,
            });
        }
        if (size > MaxEmailBytes)
        {
            errors["attachments"] = [$"Attachments add up to more than {MaxEmailBytes / (1024 * 1024)} MB."];
        }
        var domain = from is not null && from.LastIndexOf('@') is var at and >= 0 ? from[(at + 1)..] : "customer.invalid";
        var inbound = new JsonObject
        {
            ["from"] = from,
            ["to"] = new JsonArray([.. to.Select(a => (JsonNode?)a)]),
            ["subject"] = subject,
            ["text"] = text,
            ["html"] = html,
            ["messageId"] = $"<{Guid.NewGuid():N}@{domain}>",
            ["inReplyTo"] = inReplyTo,
            ["references"] = new JsonArray([.. references.Select(r => (JsonNode?)r)]),
            ["attachments"] = attachments,
        };
        return (inbound, errors);
    }

    private static bool IsAddress(string? value) =>
        value is { Length: >= 3 } && value.IndexOf('@') is var at && at > 0 && at < value.Length - 1 && !value.Any(char.IsWhiteSpace);

    private static string? Text(JsonNode? node) => SimulatorIdentifiers.Text(node);

    private static string Shorten(string text) => text.Length <= 500 ? text : text[..500] + "…";

    private static Task JsonAsync(HttpContext context, JsonNode node, int status = StatusCodes.Status200OK) =>
        TypedResults.Text(node.ToJsonString(), "application/json", statusCode: status).ExecuteAsync(context);
}
