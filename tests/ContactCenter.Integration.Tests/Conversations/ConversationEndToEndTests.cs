using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.Integration.Tests.Infrastructure;

namespace ContactCenter.Integration.Tests.Conversations;

/// <summary>
/// Texts and emails end to end in local mode: the simulator's customer writes, the app files it on the customer's
/// timeline and case, an agent replies over the API, and the customer's phone or mailbox receives it on the channel
/// they used — with the delivery report on the timeline and email threading intact.
/// </summary>
public sealed class ConversationEndToEndTests : IAsyncLifetime
{
    private RunningApp? _app;

    private RunningApp App => _app!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        _app = await RunningApp.StartAsync(new Dictionary<string, string?> { ["Messaging:EmailFrom"] = "help@contoso.com" });

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private async Task<JsonNode> PostAsync(string path, string json, HttpStatusCode expected)
    {
        using var response = await App.Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == expected, $"POST {path}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body.Length == 0 ? "{}" : body)!;
    }

    [Fact]
    public async Task A_text_becomes_a_case_and_the_agents_reply_reaches_the_customers_phone_and_is_reported_delivered()
    {
        await PostAsync("/simulator/sms", """{"from":"+14255550100","to":"+18005550199","message":"Where is my parcel?"}""", HttpStatusCode.Accepted);
        var customer = await Eventually.ValueAsync(async () => await App.GetJsonAsync("/api/customers?phone=%2B14255550100") is var c
            && c["openConversation"]?["contactId"] is not null ? c : null, "the customer's routed case");
        var conversationId = customer["openConversation"]!["id"]!.GetValue<string>();
        // The case names its contact as the text is queued for routing; the contact row follows a moment later.
        var contact = (await Eventually.ValueAsync(() => App.GetJsonAsync($"/api/contacts/{customer["openConversation"]!["contactId"]!.GetValue<string>()}")!, "the contact"))["contact"]!;
        Assert.Equal(("Sms", "Queued"), (contact["channel"]!.GetValue<string>(), contact["status"]!.GetValue<string>()));

        await PostAsync($"/api/conversations/{conversationId}/replies", """{"agentId":"ann","text":"It arrives tomorrow."}""", HttpStatusCode.Accepted);

        var received = await Eventually.ValueAsync(async () => JsonNode.Parse(await App.Client.GetStringAsync("/simulator/phones/%2B14255550100/messages", Ct))!.AsArray()
            .FirstOrDefault(m => m!["message"]!.GetValue<string>() == "It arrives tomorrow."), "the text on the phone");
        Assert.Equal("+18005550199", received!["from"]!.GetValue<string>());
        var customerId = customer["customer"]!["id"]!.GetValue<string>();
        await Eventually.ValueAsync(async () => (await App.GetJsonAsync($"/api/customers/{customerId}/timeline"))["entries"]!.AsArray()
            .Any(e => e!["text"]?.GetValue<string>() == "It arrives tomorrow." && e["status"]!.GetValue<string>() == "delivered") ? "" : null, "the delivery report");
    }

    [Fact]
    public async Task An_email_reply_from_the_customer_joins_its_case_by_its_headers()
    {
        await PostAsync("/simulator/email", """{"from":"ann@example.com","to":"help@contoso.com","subject":"Broken router","text":"It blinks red."}""", HttpStatusCode.Accepted);
        var customer = await App.GetJsonAsync("/api/customers?email=ann@example.com");
        var conversationId = customer["openConversation"]!["id"]!.GetValue<string>();
        await PostAsync($"/api/conversations/{conversationId}/replies", """{"agentId":"ann","text":"Please restart it."}""", HttpStatusCode.Accepted);
        var ours = await Eventually.ValueAsync(async () => JsonNode.Parse(await App.Client.GetStringAsync("/simulator/mailboxes/ann@example.com/messages", Ct))!.AsArray().FirstOrDefault(), "our email");
        Assert.Equal($"Re: Broken router [#{conversationId}]", ours!["subject"]!.GetValue<string>());

        // The customer replies from a mail client that keeps the headers.
        var reply = new JsonObject
        {
            ["from"] = "ann@example.com",
            ["to"] = "help@contoso.com",
            ["subject"] = "RE: " + ours["subject"]!.GetValue<string>(),
            ["text"] = "Still blinking.",
            ["inReplyTo"] = ours["messageId"]!.GetValue<string>(),
        };
        await PostAsync("/simulator/email", reply.ToJsonString(), HttpStatusCode.Accepted);

        var conversation = await App.GetJsonAsync($"/api/conversations/{conversationId}");
        Assert.Equal(2, conversation["emailThread"]!.AsArray().Count);
        var timeline = (await App.GetJsonAsync($"/api/customers/{customer["customer"]!["id"]}/timeline"))["entries"]!.AsArray();
        Assert.All(timeline, e => Assert.Equal(conversationId, e!["conversationId"]!.GetValue<string>()));
        Assert.Equal(3, timeline.Count);
    }

    [Fact]
    public async Task Bad_requests_get_problem_details()
    {
        using var unknown = await App.Client.GetAsync("/api/conversations/C-0000000000", Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        using var badLookup = await App.Client.GetAsync("/api/customers?phone=12", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badLookup.StatusCode);
        await PostAsync("/simulator/sms", """{"from":"+14255550177","to":"+18005550199","message":"Hi"}""", HttpStatusCode.Accepted);
        var customer = await Eventually.ValueAsync(async () => await App.GetJsonAsync("/api/customers?phone=%2B14255550177"), "the customer");
        var reply = await PostAsync($"/api/conversations/{customer["openConversation"]!["id"]}/replies", """{"agentId":"","text":"","channel":"fax"}""", HttpStatusCode.BadRequest);
        Assert.NotNull(reply["errors"]!["channel"]);
        Assert.NotNull(reply["errors"]!["text"]);
    }
}
