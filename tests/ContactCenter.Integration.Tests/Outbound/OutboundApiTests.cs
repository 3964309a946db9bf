using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.Core.Outbound;
using ContactCenter.Functions.Outbound;
using ContactCenter.Integration.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.Integration.Tests.Outbound;

/// <summary>
/// Outbound campaigns over HTTP on real Kestrel in local mode, with a fake call placer and virtual time. Monday
/// 2026-11-23 14:00 UTC is 09:00 in New York: the default calling window has just opened.
/// </summary>
public sealed class OutboundApiTests
{
    private static readonly DateTimeOffset Monday0900NewYork = new(2026, 11, 23, 14, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Monday0900NewYork);
    private readonly RecordingPlacer _placer = new();

    private static readonly System.Text.Json.JsonSerializerOptions Unescaped = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Spring = """
        {"id":"spring","name":"Spring renewals","queueId":"general","callerId":"+18005550199","greeting":"Hello from Contoso.",
         "timeZone":"America/New_York","callingHours":{"mon":["09:00-20:00"],"tue":["09:00-20:00"]},
         "retry":{"maxAttempts":2,"noAnswerDelay":"00:30:00"},"maxConcurrentCalls":2}
        """;

    private Task<RunningApp> StartAsync(IDictionary<string, string?>? settings = null, bool fakePlacer = true) =>
        RunningApp.StartAsync(settings, services =>
        {
            services.AddSingleton<TimeProvider>(_clock);
            if (fakePlacer)
            {
                services.AddSingleton<IOutboundCallPlacer>(_placer);
            }
        });

    private static async Task<(HttpStatusCode Status, JsonNode? Body, string? ContentType)> SendAsync(RunningApp app, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json") };
        using var response = await app.Client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response.Content.Headers.ContentType?.MediaType);
    }

    private static async Task<JsonNode> OkAsync(RunningApp app, HttpMethod method, string path, string? json = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var (status, body, _) = await SendAsync(app, method, path, json);
        Assert.True(status == expected, $"{method} {path}: {(int)status} {body?.ToJsonString()}");
        return body!;
    }

    [Fact]
    public async Task A_campaign_is_created_filled_started_dialed_by_its_timer_and_completed_by_the_outcomes()
    {
        await using var app = await StartAsync();

        var created = await OkAsync(app, HttpMethod.Post, "/api/campaigns", Spring, HttpStatusCode.Created);
        Assert.Equal("Draft", created["status"]!.GetValue<string>());
        Assert.Equal(["09:00-20:00"], created["callingHours"]!["weekly"]!["mon"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("00:30:00", created["retry"]!["noAnswerDelay"]!.GetValue<string>());
        Assert.Equal("04:00:00", created["retry"]!["voicemailDelay"]!.GetValue<string>());

        var added = await OkAsync(app, HttpMethod.Post, "/api/campaigns/spring/entries", """
            [{"phoneNumber":"+14255550100","name":"Ann"},{"phoneNumber":"+1 425 555 0101","reference":"R-7"},
             {"phoneNumber":"+14255550100"},{"phoneNumber":"555-0100"},{"phoneNumber":"+4930123456","timeZone":"Europe/Berlin"}]
            """);
        Assert.Equal((3, 1, 0, 1), (added["added"]!.GetValue<int>(), added["duplicates"]!.GetValue<int>(), added["doNotCall"]!.GetValue<int>(), added["invalid"]!.GetValue<int>()));
        Assert.Equal("invalid", added["results"]![3]!["status"]!.GetValue<string>().ToLowerInvariant());
        Assert.Contains("E.164", added["results"]![3]!["error"]!.GetValue<string>());

        await OkAsync(app, HttpMethod.Put, "/api/campaigns/spring/status", """{"status":"running"}""");
        Assert.Equal(HttpStatusCode.OK, await app.LocalHost.FireTimerAsync(OutboundFunctions.Dialer, cancellationToken: Ct));

        // Three entries are due, but pacing allows two calls at a time.
        Assert.Equal(2, _placer.Requests.Count);
        var first = _placer.Requests.First();
        Assert.Equal(("spring", "general", "+18005550199", "Hello from Contoso."), (first.CampaignId, first.QueueId, first.CallerId, first.Greeting));
        var view = await app.GetJsonAsync("/api/campaigns/spring?limit=2");
        Assert.Equal(2, view["counts"]!["dialing"]!.GetValue<int>());
        Assert.Equal(1, view["counts"]!["pending"]!.GetValue<int>());
        Assert.Equal(2, view["entries"]!.AsArray().Count);
        var nextAfter = view["nextAfter"]!.GetValue<string>();
        var rest = await app.GetJsonAsync($"/api/campaigns/spring?limit=2&after={Uri.EscapeDataString(nextAfter)}");
        Assert.Single(rest["entries"]!.AsArray());
        Assert.Null(rest["nextAfter"]);

        var sink = app.Services.GetRequiredService<IOutboundOutcomeSink>();
        foreach (var request in _placer.Requests)
        {
            await sink.RecordOutcomeAsync(request.CampaignId, request.EntryId, _placer.IdOf(request), OutboundOutcome.Answered, Ct);
        }
        await app.LocalHost.FireTimerAsync(OutboundFunctions.Dialer, cancellationToken: Ct);
        Assert.Equal(3, _placer.Requests.Count);
        var last = _placer.Requests.Last();
        await sink.RecordOutcomeAsync(last.CampaignId, last.EntryId, _placer.IdOf(last), OutboundOutcome.Answered, Ct);

        var done = await app.GetJsonAsync("/api/campaigns/spring");
        Assert.Equal("Completed", done["campaign"]!["status"]!.GetValue<string>());
        Assert.Equal(3, done["counts"]!["answered"]!.GetValue<int>());
        var ann = done["entries"]!.AsArray().Single(e => e!["phoneNumber"]!.GetValue<string>() == "+14255550100")!;
        Assert.Equal("Ann", ann["name"]!.GetValue<string>());
        Assert.Equal("Answered", ann["attempts"]![0]!["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_timer_fires_every_15_seconds_on_virtual_time_and_retries_wait_for_their_delay()
    {
        await using var app = await StartAsync(new Dictionary<string, string?> { ["Local:RunTimers"] = "true" });
        await OkAsync(app, HttpMethod.Post, "/api/campaigns", Spring, HttpStatusCode.Created);
        await OkAsync(app, HttpMethod.Post, "/api/campaigns/spring/entries", """[{"phoneNumber":"+14255550100"}]""");
        await OkAsync(app, HttpMethod.Put, "/api/campaigns/spring/status", """{"status":"running"}""");

        await AdvanceToDialerAsync(app);
        var call = Assert.Single(_placer.Requests);
        await app.Services.GetRequiredService<IOutboundOutcomeSink>().RecordOutcomeAsync("spring", "+14255550100", _placer.IdOf(call), OutboundOutcome.NoAnswer, Ct);

        // The retry is due 30 minutes after the outcome: no call on the runs before.
        var retryAt = _clock.GetUtcNow().AddMinutes(30);
        while (_clock.GetUtcNow() < retryAt.AddSeconds(-15))
        {
            await AdvanceToDialerAsync(app);
        }
        Assert.Single(_placer.Requests);
        await AdvanceToDialerAsync(app);
        await AdvanceToDialerAsync(app);
        Assert.Equal(2, _placer.Requests.Count);
        var entry = (await app.GetJsonAsync("/api/campaigns/spring"))["entries"]![0]!;
        Assert.Equal(2, entry["attempts"]!.AsArray().Count);
    }

    /// <summary>Moves the clock to the dialer's next occurrence and waits until that run has finished.</summary>
    private async Task AdvanceToDialerAsync(RunningApp app)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(Patience.Condition);
        DateTimeOffset due;
        while (!app.LocalHost.Snapshot().TimersDueAt.TryGetValue(OutboundFunctions.Dialer.Name, out due) || due <= _clock.GetUtcNow())
        {
            await Task.Delay(5, timeout.Token);
        }
        _clock.Advance(due - _clock.GetUtcNow());
        // Re-armed for the next occurrence means the run at `due` is over.
        while (!app.LocalHost.Snapshot().TimersDueAt.TryGetValue(OutboundFunctions.Dialer.Name, out var next) || next <= due)
        {
            await Task.Delay(5, timeout.Token);
        }
    }

    [Fact]
    public async Task Through_the_voice_channel_a_person_who_presses_1_is_answered_and_a_machine_is_voicemail()
    {
        await using var app = await StartAsync(fakePlacer: false);
        await OkAsync(app, HttpMethod.Post, "/simulator/parties/+14255550101", """{"answer":"voicemail"}""", HttpStatusCode.OK);
        await OkAsync(app, HttpMethod.Post, "/api/campaigns", Spring, HttpStatusCode.Created);
        await OkAsync(app, HttpMethod.Post, "/api/campaigns/spring/entries", """[{"phoneNumber":"+14255550100"},{"phoneNumber":"+14255550101"}]""");
        await OkAsync(app, HttpMethod.Put, "/api/campaigns/spring/status", """{"status":"running"}""");

        Assert.Equal(HttpStatusCode.OK, await app.LocalHost.FireTimerAsync(OutboundFunctions.Dialer, cancellationToken: Ct));
        var calls = await Eventually.ValueAsync(async () => JsonNode.Parse(await app.Client.GetStringAsync("/simulator/calls", Ct))!.AsArray()
            .Where(c => c!["direction"]!.GetValue<string>() == "outbound").ToList() is { Count: 2 } both ? both : null, "both calls to ring");
        _clock.Advance(TimeSpan.FromSeconds(3)); // phones answer after three seconds
        var person = calls.Single(c => c!["to"]!.GetValue<string>().EndsWith("+14255550100"))!["id"]!.GetValue<string>();
        await Eventually.ValueAsync(async () => (await app.GetJsonAsync($"/simulator/calls/{person}"))["pendingRecognize"] as JsonObject, "the person to be asked to press 1");
        await OkAsync(app, HttpMethod.Post, $"/simulator/calls/{person}/press", """{"tones":"1"}""", HttpStatusCode.Accepted);
        var machine = calls.Single(c => c!["to"]!.GetValue<string>().EndsWith("+14255550101"))!["id"]!.GetValue<string>();
        await Eventually.ValueAsync(async () => (await app.GetJsonAsync($"/simulator/calls/{machine}"))["pendingRecognize"] as JsonObject, "the machine to be asked to press 1");
        // Nobody presses: the prompt ends, the human check times out, the goodbye plays (each timer starts when the last
        // fires, over HTTP: virtual time moves a second at a time until the outcomes are in, however slow the machine).
        var entries = await Eventually.AdvancingAsync(_clock, TimeSpan.FromSeconds(1), async () => (await app.GetJsonAsync("/api/campaigns/spring"))["entries"]!.AsArray() is var all
            && all.All(e => e!["attempts"]!.AsArray().Any(a => a!["outcome"] is not null)) ? all : null, "both outcomes");
        var answered = entries.Single(e => e!["phoneNumber"]!.GetValue<string>() == "+14255550100")!;
        Assert.Equal("Answered", answered["state"]!.GetValue<string>());
        var voicemail = entries.Single(e => e!["phoneNumber"]!.GetValue<string>() == "+14255550101")!;
        Assert.Equal("Voicemail", voicemail["attempts"]![0]!["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_do_not_call_list_is_read_written_and_cleared_by_number()
    {
        await using var app = await StartAsync();

        var (missing, _, _) = await SendAsync(app, HttpMethod.Get, "/api/dnc/+14255550100");
        var listed = await OkAsync(app, HttpMethod.Put, "/api/dnc/%2B1-425-555-0100");
        var read = await OkAsync(app, HttpMethod.Get, "/api/dnc/+14255550100");
        var (deleted, _, _) = await SendAsync(app, HttpMethod.Delete, "/api/dnc/+14255550100");
        var (again, _, _) = await SendAsync(app, HttpMethod.Delete, "/api/dnc/+14255550100");

        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal("+14255550100", listed["phoneNumber"]!.GetValue<string>());
        Assert.Equal(Monday0900NewYork, read["since"]!.GetValue<DateTimeOffset>());
        Assert.Equal(HttpStatusCode.NoContent, deleted);
        Assert.Equal(HttpStatusCode.NotFound, again);
    }

    [Fact]
    public async Task A_number_listed_after_it_was_added_is_not_called()
    {
        await using var app = await StartAsync();
        await OkAsync(app, HttpMethod.Post, "/api/campaigns", Spring, HttpStatusCode.Created);
        await OkAsync(app, HttpMethod.Post, "/api/campaigns/spring/entries", """[{"phoneNumber":"+14255550100"},{"phoneNumber":"+14255550101"}]""");
        await OkAsync(app, HttpMethod.Put, "/api/dnc/+14255550100");
        await OkAsync(app, HttpMethod.Put, "/api/campaigns/spring/status", """{"status":"running"}""");

        await app.LocalHost.FireTimerAsync(OutboundFunctions.Dialer, cancellationToken: Ct);

        Assert.Equal(["+14255550101"], _placer.Requests.Select(r => r.PhoneNumber));
        Assert.Equal(1, (await app.GetJsonAsync("/api/campaigns/spring"))["counts"]!["doNotCall"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("GET", "/api/campaigns/nowhere", null, 404, "no campaign 'nowhere'")]
    [InlineData("PUT", "/api/campaigns/nowhere/status", """{"status":"running"}""", 404, "no campaign 'nowhere'")]
    [InlineData("POST", "/api/campaigns/nowhere/entries", """[{"phoneNumber":"+14255550100"}]""", 404, "no campaign 'nowhere'")]
    [InlineData("PUT", "/api/campaigns/spring/status", """{"status":"finished"}""", 400, "running (start or resume), paused or cancelled")]
    [InlineData("POST", "/api/campaigns/spring/entries", "[]", 400, "1 to 1000 entries")]
    [InlineData("POST", "/api/campaigns/spring/entries", """{"phoneNumber":"+14255550100"}""", 400, "not valid JSON")]
    [InlineData("GET", "/api/campaigns/spring?limit=0", null, 400, "limit")]
    [InlineData("POST", "/api/campaigns", "{not json", 400, "not valid JSON")]
    [InlineData("POST", "/api/campaigns", """{"id":"x","name":"X","queueId":"nowhere","callerId":"123","timeZone":"Mars/Base"}""", 400, "There is no queue 'nowhere'")]
    [InlineData("POST", "/api/campaigns", """{"id":"x","name":"X","queueId":"general","callerId":"+18005550199","timeZone":"UTC","callingHours":{"someday":["09:00-17:00"]}}""", 400, "'someday' is not a day")]
    [InlineData("POST", "/api/campaigns", """{"id":"x","name":"X","queueId":"general","callerId":"+18005550199","timeZone":"UTC","retry":{"noAnswerDelay":"soon"}}""", 400, "not valid JSON")]
    [InlineData("GET", "/api/dnc/12345", null, 400, "not an E.164 number")]
    public async Task Refusals_are_problem_json_with_the_status_that_fits(string method, string path, string? body, int expected, string reason)
    {
        await using var app = await StartAsync();
        await OkAsync(app, HttpMethod.Post, "/api/campaigns", Spring, HttpStatusCode.Created);

        var (status, problem, contentType) = await SendAsync(app, new HttpMethod(method), path, body);

        Assert.Equal(expected, (int)status);
        Assert.Equal("application/problem+json", contentType);
        Assert.Equal(expected, problem!["status"]!.GetValue<int>());
        Assert.Contains(reason, problem.ToJsonString(Unescaped), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Invalid_campaign_settings_list_every_field_at_fault()
    {
        await using var app = await StartAsync();

        var (status, problem, _) = await SendAsync(app, HttpMethod.Post, "/api/campaigns",
            """{"id":"bad id","queueId":"general","callerId":"0800","timeZone":"Nowhere","maxConcurrentCalls":1000,"retry":{"maxAttempts":0}}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(["callerId", "id", "maxConcurrentCalls", "name", "retry.maxAttempts", "timeZone"], problem!["errors"]!.AsObject().Select(e => e.Key).Order());
    }

    [Fact]
    public async Task Status_changes_that_do_not_apply_are_conflicts_and_posting_again_updates_the_settings()
    {
        await using var app = await StartAsync();
        await OkAsync(app, HttpMethod.Post, "/api/campaigns", Spring, HttpStatusCode.Created);
        await OkAsync(app, HttpMethod.Put, "/api/campaigns/spring/status", """{"status":"paused"}""");
        var cancelled = await OkAsync(app, HttpMethod.Put, "/api/campaigns/spring/status", """{"status":"cancelled"}""");

        var (resume, problem, _) = await SendAsync(app, HttpMethod.Put, "/api/campaigns/spring/status", """{"status":"running"}""");
        var (add, _, _) = await SendAsync(app, HttpMethod.Post, "/api/campaigns/spring/entries", """[{"phoneNumber":"+14255550100"}]""");
        var updated = await OkAsync(app, HttpMethod.Post, "/api/campaigns", Spring.Replace("Spring renewals", "Renewals"));

        Assert.Equal("Cancelled", cancelled["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, resume);
        Assert.Contains("cancelled", problem!["detail"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, add);
        Assert.Equal(("Renewals", "Cancelled"), (updated["name"]!.GetValue<string>(), updated["status"]!.GetValue<string>()));
    }

    /// <summary>Answers with its own call ids and remembers every request.</summary>
    private sealed class RecordingPlacer : IOutboundCallPlacer
    {
        private readonly ConcurrentQueue<(OutboundCallRequest Request, string Id)> _calls = new();

        public IReadOnlyList<OutboundCallRequest> Requests => _calls.Select(c => c.Request).ToList();

        public string IdOf(OutboundCallRequest request) => _calls.Last(c => c.Request == request).Id;

        public Task<string> PlaceAsync(OutboundCallRequest request, CancellationToken cancellationToken = default)
        {
            var id = $"acs-call-{Guid.NewGuid():N}";
            _calls.Enqueue((request, id));
            return Task.FromResult(id);
        }
    }
}
