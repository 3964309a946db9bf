using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.Integration.Tests.Infrastructure;

namespace ContactCenter.Integration.Tests.Conversations;

/// <summary>
/// Merging two records of one person over HTTP (the real app in local mode): the answers and problem details of
/// POST /api/customers/{id}/merge, the survivor's timeline afterwards, the tombstone; and STOP texts on the timeline.
/// </summary>
public sealed class CustomerMergeEndToEndTests : IAsyncLifetime
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

    private async Task<(HttpStatusCode Status, string? MediaType, JsonNode Body)> PostAsync(string path, string json)
    {
        using var response = await App.Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, JsonNode.Parse(body.Length == 0 ? "{}" : body)!);
    }

    private async Task<string> CustomerIdAsync(string query) =>
        (await Eventually.ValueAsync(async () => await App.GetJsonAsync($"/api/customers?{query}"), query))["customer"]!["id"]!.GetValue<string>();

    private async Task<JsonArray> TimelineAsync(string customerId) => (await App.GetJsonAsync($"/api/customers/{customerId}/timeline"))["entries"]!.AsArray();

    private static void AssertProblem((HttpStatusCode Status, string? MediaType, JsonNode Body) answer, HttpStatusCode expected)
    {
        Assert.True(answer.Status == expected, $"{(int)answer.Status} {answer.Body.ToJsonString()}");
        Assert.Equal("application/problem+json", answer.MediaType);
        Assert.Equal((int)expected, answer.Body["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task Two_records_of_one_person_become_one_and_the_merged_id_leads_to_the_survivor()
    {
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync("/simulator/sms", """{"from":"+14255550100","to":"+18005550199","message":"Where is my parcel?"}""")).Status);
        var ann = await CustomerIdAsync("phone=%2B14255550100");
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync("/simulator/email", """{"from":"ada@example.com","to":"help@contoso.com","subject":"Invoice","text":"The invoice is wrong."}""")).Status);
        var ada = await CustomerIdAsync("email=ada@example.com");
        var adaCase = (await App.GetJsonAsync($"/api/customers/{ada}"))["openConversation"]!["id"]!.GetValue<string>();

        // Claiming the address says how to merge.
        var claim = await PostAsync($"/api/customers/{ann}/identities", """{"email":"ada@example.com"}""");
        AssertProblem(claim, HttpStatusCode.Conflict);
        Assert.Equal(ada, claim.Body["ownerCustomerId"]!.GetValue<string>());
        Assert.Equal($"/api/customers/{ann}/merge", claim.Body["merge"]!.GetValue<string>());
        Assert.Contains($"POST /api/customers/{ann}/merge", claim.Body["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        var merged = await PostAsync($"/api/customers/{ann}/merge", $$"""{"customerId":"{{ada}}"}""");
        Assert.True(merged.Status == HttpStatusCode.OK, merged.Body.ToJsonString());
        Assert.Equal(ann, merged.Body["customer"]!["id"]!.GetValue<string>());
        Assert.Equal(["phone:+14255550100", "email:ada@example.com"], merged.Body["customer"]!["identities"]!.AsArray().Select(i => i!.GetValue<string>()));
        Assert.Equal([ada], merged.Body["customer"]!["mergedFrom"]!.AsArray().Select(i => i!.GetValue<string>()));
        // Again: the same answer, nothing changes.
        var again = await PostAsync($"/api/customers/{ann}/merge", $$"""{"customerId":"{{ada}}"}""");
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(merged.Body["customer"]!.ToJsonString(), again.Body["customer"]!.ToJsonString());

        var timeline = await TimelineAsync(ann);
        Assert.Equal("Internal", timeline[0]!["direction"]!.GetValue<string>());
        Assert.StartsWith($"Merged with customer {ada}", timeline[0]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(timeline, e => e!["text"]?.GetValue<string>() == "The invoice is wrong." && e["customerId"]!.GetValue<string>() == ann);
        Assert.Contains(timeline, e => e!["text"]?.GetValue<string>() == "Where is my parcel?");
        Assert.Empty(await TimelineAsync(ada));
        Assert.Equal(ann, (await App.GetJsonAsync($"/api/conversations/{adaCase}"))["customerId"]!.GetValue<string>());

        // The merged id answers 200 with the tombstone naming the survivor; its identities find the survivor.
        var tombstone = await App.GetJsonAsync($"/api/customers/{ada}");
        Assert.Equal(ann, tombstone["customer"]!["mergedInto"]!.GetValue<string>());
        Assert.Null(tombstone["openConversation"]);
        Assert.Equal(ann, await CustomerIdAsync("email=ada@example.com"));
        // A later email from the merged address lands on the survivor.
        await PostAsync("/simulator/email", """{"from":"ada@example.com","to":"help@contoso.com","subject":"Invoice again","text":"Any news?"}""");
        await Eventually.ValueAsync(async () => (await TimelineAsync(ann)).Any(e => e!["text"]?.GetValue<string>() == "Any news?") ? "" : null, "the later email on the survivor");
    }

    [Fact]
    public async Task Merge_answers_problem_details_for_itself_unknown_ids_and_merged_records()
    {
        await PostAsync("/simulator/sms", """{"from":"+14255550101","to":"+18005550199","message":"Hi"}""");
        var ann = await CustomerIdAsync("phone=%2B14255550101");
        await PostAsync("/simulator/sms", """{"from":"+14255550102","to":"+18005550199","message":"Hi"}""");
        var ada = await CustomerIdAsync("phone=%2B14255550102");
        await PostAsync("/simulator/sms", """{"from":"+14255550103","to":"+18005550199","message":"Hi"}""");
        var bob = await CustomerIdAsync("phone=%2B14255550103");

        AssertProblem(await PostAsync($"/api/customers/{ann}/merge", $$"""{"customerId":"{{ann}}"}"""), HttpStatusCode.BadRequest);
        AssertProblem(await PostAsync($"/api/customers/{ann}/merge", "{}"), HttpStatusCode.BadRequest);
        AssertProblem(await PostAsync($"/api/customers/{ann}/merge", """{"customerId":"cus-nobody"}"""), HttpStatusCode.NotFound);
        AssertProblem(await PostAsync("/api/customers/cus-nobody/merge", $$"""{"customerId":"{{ann}}"}"""), HttpStatusCode.NotFound);

        Assert.Equal(HttpStatusCode.OK, (await PostAsync($"/api/customers/{ann}/merge", $$"""{"customerId":"{{ada}}"}""")).Status);
        var intoMerged = await PostAsync($"/api/customers/{ada}/merge", $$"""{"customerId":"{{bob}}"}""");
        AssertProblem(intoMerged, HttpStatusCode.Conflict);
        Assert.Equal(ann, intoMerged.Body["mergedInto"]!.GetValue<string>());
        Assert.Contains(ann, intoMerged.Body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_STOP_text_is_on_the_timeline_with_our_confirmation_and_opens_no_case()
    {
        await PostAsync("/simulator/sms", """{"from":"+14255550104","to":"+18005550199","message":"STOP"}""");
        var customer = await CustomerIdAsync("phone=%2B14255550104");

        var timeline = await Eventually.ValueAsync(async () => await TimelineAsync(customer) is { Count: 2 } entries ? entries : null, "the keyword and its reply");

        var (reply, stop) = (timeline[0]!, timeline[1]!);
        Assert.Equal("Customer texted STOP — opted out of texts from +18005550199", stop["text"]!.GetValue<string>());
        Assert.Equal("opted-out", stop["status"]!.GetValue<string>());
        Assert.Equal("Outbound", reply["direction"]!.GetValue<string>());
        var onPhone = JsonNode.Parse(await App.Client.GetStringAsync("/simulator/phones/%2B14255550104/messages", Ct))!.AsArray();
        Assert.Equal(onPhone.Single()!["message"]!.GetValue<string>(), reply["text"]!.GetValue<string>());
        Assert.Null((await App.GetJsonAsync($"/api/customers/{customer}"))["openConversation"]);
    }
}
