using System.Net;
using System.Text.Json.Nodes;
using Azure;
using Azure.Core.Pipeline;
using ContactCenter.Azure.Communication;
using ContactCenter.Core.Voice;
using ContactCenter.Functions.Local.CallAutomation;
using ContactCenter.Integration.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace ContactCenter.Integration.Tests.LocalMode;

/// <summary>
/// Local mode's Call Automation simulator driven by the app's real REST client and the caller endpoints, with a real
/// callback receiver: signatures, CloudEvent shapes, callback tokens, keys and speech, virtual-time timeouts, outbound.
/// </summary>
public sealed class CallAutomationSimulatorTests : IAsyncLifetime
{
    private static readonly CallTarget.PhoneNumber Caller = new("+14255550100");
    // Compare JSON as text without escaping '+' (the wire may carry it as \u002B: equal JSON).
    private static readonly System.Text.Json.JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private RunningApp? _app;
    private CallbackReceiver? _receiver;

    private RunningApp App => _app!;
    private CallbackReceiver Receiver => _receiver!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private CallAutomationSimulator Simulator => App.Services.GetRequiredService<CallAutomationSimulator>();

    public async ValueTask InitializeAsync()
    {
        _receiver = await CallbackReceiver.StartAsync();
        // The test drives the simulator with its own client: the contact center answers another number, not these calls.
        _app = await RunningApp.StartAsync(new Dictionary<string, string?> { ["Voice:Numbers:0"] = "+10000000000" }, s => s.AddSingleton<TimeProvider>(_time));
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        if (_receiver is not null)
        {
            await _receiver.DisposeAsync();
        }
    }

    private ICallControl CallControl => App.Services.GetRequiredService<ICallControl>();

    private CallAutomationClient Client(string? accessKey = null, HttpMessageHandler? handler = null)
    {
        var options = new CallAutomationClientOptions { Retry = { Delay = TimeSpan.FromMilliseconds(1) } };
        if (handler is not null)
        {
            options.Transport = new HttpClientTransport(handler);
        }
        return new CallAutomationClient($"endpoint={App.BaseAddress}simulator/acs/;accesskey={accessKey ?? CallAutomationSimulatorOptions.DefaultAccessKey}", options, _time);
    }

    /// <summary>A customer calls; returns the simulated call id and its incoming call context.</summary>
    private async Task<(string CallId, string Context)> PlaceCallAsync()
    {
        using var placed = await App.PostJsonAsync("/simulator/calls", """{"from":"+14255550100","to":"+18005550199"}""");
        Assert.Equal(HttpStatusCode.Accepted, placed.StatusCode);
        var callId = JsonNode.Parse(await placed.Content.ReadAsStringAsync(Ct))!["callId"]!.GetValue<string>();
        var view = await App.GetJsonAsync($"/simulator/calls/{callId}");
        return (callId, view["incomingCallContext"]!.GetValue<string>());
    }

    private async Task<(string CallId, string Connection)> AnsweredCallAsync()
    {
        var (callId, context) = await PlaceCallAsync();
        var connection = await CallControl.AnswerAsync(new AnswerCallRequest(context, Receiver.Uri) { OperationContext = "answer" }, Ct);
        await Receiver.WaitForAsync("CallConnected");
        return (callId, connection.CallConnectionId);
    }

    private Task<HttpResponseMessage> PressAsync(string callId, string tones) =>
        App.PostJsonAsync($"/simulator/calls/{callId}/press", new JsonObject { ["tones"] = tones }.ToJsonString());

    [Fact]
    public async Task The_apps_client_answers_a_placed_call_and_the_callbacks_are_cloud_events_with_a_token_valid_against_the_served_keys()
    {
        var (callId, connection) = await AnsweredCallAsync();

        var connected = await Receiver.WaitForAsync("CallConnected");
        var participants = await Receiver.WaitForAsync("ParticipantsUpdated");
        Assert.Equal("application/json; charset=utf-8", connected.ContentType);
        var e = connected.Event;
        Assert.True(Guid.TryParse(e["id"]!.GetValue<string>(), out _));
        Assert.Equal("calling/callConnections/" + connection, e["source"]!.GetValue<string>());
        Assert.Equal(e["source"]!.GetValue<string>(), e["subject"]!.GetValue<string>());
        Assert.Equal(("1.0", "application/json"), (e["specversion"]!.GetValue<string>(), e["datacontenttype"]!.GetValue<string>()));
        Assert.True(DateTimeOffset.TryParse(e["time"]!.GetValue<string>(), out _));
        Assert.Equal(connection, connected.Data["callConnectionId"]!.GetValue<string>());
        Assert.Equal("answer", connected.Data["operationContext"]!.GetValue<string>());
        Assert.NotNull(connected.Data["serverCallId"]);
        Assert.NotNull(connected.Data["correlationId"]);
        var caller = participants.Data["participants"]!.AsArray().Single()!;
        Assert.Equal("""{"rawId":"4:+14255550100","kind":"phoneNumber","phoneNumber":{"value":"+14255550100"}}""", caller["identifier"]!.ToJsonString(Relaxed));
        Assert.Equal(1, participants.Data["sequenceNumber"]!.GetValue<int>());
        Assert.Equal("connected", (await App.GetJsonAsync($"/simulator/calls/{callId}"))["state"]!.GetValue<string>());

        // The app validates the token as it would ACS's: OpenID configuration -> JWKS -> RS256 signature, issuer, audience.
        var openIdUrl = App.Services.GetRequiredService<IConfiguration>()[LocalCallAutomationRegistration.OpenIdConfigurationUrlSetting]!;
        Assert.Equal($"{App.BaseAddress}simulator/acs/calling/.well-known/acsopenidconfiguration", openIdUrl);
        var configuration = await new ConfigurationManager<OpenIdConnectConfiguration>(openIdUrl, new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever { RequireHttps = false }).GetConfigurationAsync(Ct);
        var audience = App.Services.GetRequiredService<IConfiguration>()[LocalCallAutomationRegistration.AudienceSetting];
        Assert.Equal(CallAutomationSimulatorOptions.DefaultResourceId, audience);
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = configuration.Issuer,
            ValidAudience = audience,
            IssuerSigningKeys = configuration.SigningKeys,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            RequireSignedTokens = true,
        };
        Assert.StartsWith("Bearer ", connected.Authorization, StringComparison.Ordinal);
        var handler = new JsonWebTokenHandler();
        var valid = await handler.ValidateTokenAsync(connected.Authorization!["Bearer ".Length..], parameters);
        Assert.True(valid.IsValid, valid.Exception?.Message);
        var token = (JsonWebToken)valid.SecurityToken;
        Assert.Equal(TimeSpan.FromMinutes(5), token.ValidTo - token.IssuedAt);
        var wrongAudience = await handler.ValidateTokenAsync(connected.Authorization!["Bearer ".Length..], parameters.Clone().With(p => p.ValidAudience = "someone-else"));
        Assert.False(wrongAudience.IsValid);
    }

    [Fact]
    public async Task A_wrong_key_or_an_altered_body_is_refused_with_401_and_nothing_is_executed()
    {
        var (_, context) = await PlaceCallAsync();
        var before = Simulator.Executions;

        var forged = await Assert.ThrowsAsync<RequestFailedException>(() =>
            Client(Convert.ToBase64String("not-the-simulator-key"u8.ToArray())).AnswerAsync(new AnswerCallRequest(context, Receiver.Uri), Ct));
        var altered = await Assert.ThrowsAsync<RequestFailedException>(() =>
            Client(handler: new AlteringHandler()).AnswerAsync(new AnswerCallRequest(context, Receiver.Uri), Ct));

        Assert.Equal((401, "401"), (forged.Status, forged.ErrorCode));
        Assert.Contains("Signature mismatch", forged.Message, StringComparison.Ordinal);
        Assert.Equal(401, altered.Status);
        Assert.Contains("x-ms-content-sha256", altered.Message, StringComparison.Ordinal);
        Assert.Equal(before, Simulator.Executions);
        // The genuine client still answers the same call: it was never touched.
        var connection = await Client().AnswerAsync(new AnswerCallRequest(context, Receiver.Uri), Ct);
        Assert.False(string.IsNullOrEmpty(connection.CallConnectionId));
    }

    [Fact]
    public async Task Keys_pressed_complete_a_dtmf_recognize_with_tone_names_and_a_phrase_matches_a_choice()
    {
        var (callId, connection) = await AnsweredCallAsync();
        await CallControl.RecognizeAsync(connection, new RecognizeRequest(Caller, new RecognizeInput.Dtmf(4) { StopTones = [DtmfTone.Pound] })
        {
            Prompt = new PlaySource.TextToSpeech("Please enter your account number, then press pound."),
            OperationContext = "account",
        }, Ct);

        using var press = await PressAsync(callId, "12#");
        Assert.Equal(HttpStatusCode.Accepted, press.StatusCode);
        var tones = await Receiver.WaitForAsync("RecognizeCompleted");
        Assert.Equal("dtmf", tones.Data["recognitionType"]!.GetValue<string>());
        Assert.Equal("""["one","two"]""", tones.Data["dtmfResult"]!["tones"]!.ToJsonString());
        Assert.Equal("account", tones.Data["operationContext"]!.GetValue<string>());
        Assert.Equal((200, 8514), (tones.Data["resultInformation"]!["code"]!.GetValue<int>(), tones.Data["resultInformation"]!["subCode"]!.GetValue<int>()));

        await CallControl.RecognizeAsync(connection, new RecognizeRequest(Caller, new RecognizeInput.Choices([
            new RecognizeChoice("billing", ["billing", "pay my bill"], DtmfTone.One),
            new RecognizeChoice("support", ["support", "help"], DtmfTone.Two),
        ])) { OperationContext = "menu" }, Ct);
        using var say = await App.PostJsonAsync($"/simulator/calls/{callId}/say", """{"phrase":"Pay my bill"}""");
        var choice = await Receiver.WaitForAsync("RecognizeCompleted", count: 2);
        Assert.Equal("choices", choice.Data["recognitionType"]!.GetValue<string>());
        Assert.Equal("""{"label":"billing","recognizedPhrase":"Pay my bill"}""", choice.Data["choiceResult"]!.ToJsonString());

        var view = await App.GetJsonAsync($"/simulator/calls/{callId}");
        Assert.Equal("Please enter your account number, then press pound.", view["heard"]!.AsArray().Single()!["text"]!.GetValue<string>());
        Assert.Null(view["pendingRecognize"]);
    }

    [Fact]
    public async Task A_recognize_times_out_on_virtual_time_with_8510_and_a_wrong_key_fails_with_8534()
    {
        var (callId, connection) = await AnsweredCallAsync();
        var menu = new RecognizeInput.Choices([new RecognizeChoice("sales", ["sales"], DtmfTone.One)]);
        await CallControl.RecognizeAsync(connection, new RecognizeRequest(Caller, menu) { InitialSilenceTimeout = TimeSpan.FromSeconds(5), OperationContext = "menu" }, Ct);

        _time.Advance(TimeSpan.FromSeconds(4.9));
        await Task.Delay(200, Ct);
        Assert.Empty(Receiver.OfType("RecognizeFailed"));
        Assert.NotNull((await App.GetJsonAsync($"/simulator/calls/{callId}"))["pendingRecognize"]);
        _time.Advance(TimeSpan.FromSeconds(0.1));
        var timeout = await Receiver.WaitForAsync("RecognizeFailed");
        Assert.Equal((400, 8510), (timeout.Data["resultInformation"]!["code"]!.GetValue<int>(), timeout.Data["resultInformation"]!["subCode"]!.GetValue<int>()));
        Assert.Equal("menu", timeout.Data["operationContext"]!.GetValue<string>());

        await CallControl.RecognizeAsync(connection, new RecognizeRequest(Caller, menu) { OperationContext = "menu-again" }, Ct);
        using var _ = await PressAsync(callId, "9");
        var wrong = await Receiver.WaitForAsync("RecognizeFailed", count: 2);
        Assert.Equal(8534, wrong.Data["resultInformation"]!["subCode"]!.GetValue<int>());
    }

    [Fact]
    public async Task Plays_complete_after_their_virtual_duration_and_cancel_all_media_cancels_a_loop()
    {
        var (callId, connection) = await AnsweredCallAsync();
        const string Text = "Thank you for calling Contoso."; // 30 characters at 15 per second: 2 s
        await CallControl.PlayAsync(connection, new PlayRequest(new PlaySource.TextToSpeech(Text)) { OperationContext = "welcome" }, Ct);
        await CallControl.PlayAsync(connection, new PlayRequest(new PlaySource.AudioFile(new Uri("https://media.contoso.com/hold.wav"))) { Loop = true, OperationContext = "hold" }, Ct);

        await Receiver.WaitForAsync("PlayStarted");
        _time.Advance(TimeSpan.FromSeconds(1.9));
        await Task.Delay(200, Ct);
        Assert.Empty(Receiver.OfType("PlayCompleted"));
        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal("welcome", (await Receiver.WaitForAsync("PlayCompleted")).Data["operationContext"]!.GetValue<string>());
        await Receiver.WaitForAsync("PlayStarted", count: 2);
        _time.Advance(TimeSpan.FromMinutes(10));
        await CallControl.CancelAllMediaOperationsAsync(connection, Ct);

        var cancelled = await Receiver.WaitForAsync("PlayCanceled");
        Assert.Equal("hold", cancelled.Data["operationContext"]!.GetValue<string>());
        Assert.Single(Receiver.OfType("PlayCompleted"));
        var heard = (await App.GetJsonAsync($"/simulator/calls/{callId}"))["heard"]!.AsArray();
        Assert.Equal([Text, null], heard.Select(h => h!["text"]?.GetValue<string>()));
        Assert.Equal("https://media.contoso.com/hold.wav", heard[1]!["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_caller_hanging_up_disconnects_the_app_and_later_operations_get_404()
    {
        var (callId, connection) = await AnsweredCallAsync();

        using var hangup = await App.PostJsonAsync($"/simulator/calls/{callId}/hangup", "{}");

        Assert.Equal(HttpStatusCode.Accepted, hangup.StatusCode);
        var disconnected = await Receiver.WaitForAsync("CallDisconnected");
        Assert.Equal(connection, disconnected.Data["callConnectionId"]!.GetValue<string>());
        Assert.Equal("disconnected", (await App.GetJsonAsync($"/simulator/calls/{callId}"))["state"]!.GetValue<string>());
        var gone = await Assert.ThrowsAsync<RequestFailedException>(() => CallControl.PlayAsync(connection, new PlayRequest(new PlaySource.TextToSpeech("Hello?")), Ct));
        Assert.Equal((404, "8522"), (gone.Status, gone.ErrorCode));
        // Callbacks arrive in the order they happened.
        Assert.Equal(["CallConnected", "ParticipantsUpdated", "CallDisconnected"], Receiver.Deliveries.Select(d => d.Type["Microsoft.Communication.".Length..]));
    }

    [Fact]
    public async Task An_agent_added_answers_after_a_virtual_second_and_a_callee_who_does_not_answer_fails_the_outbound_call_at_the_timeout()
    {
        var (callId, connection) = await AnsweredCallAsync();
        var agent = new CallTarget.CommunicationUser("8:acs:resource_agent-7");
        var invitation = await CallControl.AddParticipantAsync(connection, new AddParticipantRequest(agent) { OperationContext = "offer-1" }, Ct);
        Assert.True(Guid.TryParse(invitation.InvitationId, out _));
        _time.Advance(TimeSpan.FromSeconds(1));
        var joined = await Receiver.WaitForAsync("AddParticipantSucceeded");
        Assert.Equal("""{"rawId":"8:acs:resource_agent-7","kind":"communicationUser","communicationUser":{"id":"8:acs:resource_agent-7"}}""", joined.Data["participant"]!.ToJsonString());
        Assert.Equal("offer-1", joined.Data["operationContext"]!.GetValue<string>());
        var updated = await Receiver.WaitForAsync("ParticipantsUpdated", count: 2);
        Assert.Equal(2, updated.Data["participants"]!.AsArray().Count);
        Assert.True((await App.GetJsonAsync($"/simulator/calls/{callId}"))["agentJoined"]!.GetValue<bool>());

        using var configured = await App.PostJsonAsync("/simulator/parties/+14255550123", """{"answer":"no-answer"}""");
        Assert.Equal(HttpStatusCode.OK, configured.StatusCode);
        var dialed = await CallControl.CreateCallAsync(new CreateCallRequest(new CallTarget.PhoneNumber("+14255550123"), Receiver.Uri)
        {
            CallerId = new CallTarget.PhoneNumber("+18005550199"),
            OperationContext = "callback-42",
        }, Ct);
        _time.Advance(TimeSpan.FromSeconds(29));
        await Task.Delay(200, Ct);
        Assert.Empty(Receiver.OfType("CreateCallFailed"));
        _time.Advance(TimeSpan.FromSeconds(1));
        var failed = await Receiver.WaitForAsync("CreateCallFailed");
        Assert.Equal(dialed.CallConnectionId, failed.Data["callConnectionId"]!.GetValue<string>());
        Assert.Equal("callback-42", failed.Data["operationContext"]!.GetValue<string>());
        Assert.Equal(408, failed.Data["resultInformation"]!["code"]!.GetValue<int>());
        var outbound = JsonNode.Parse(await App.Client.GetStringAsync("/simulator/calls", Ct))!.AsArray().Single(c => c!["callConnectionId"]?.GetValue<string>() == dialed.CallConnectionId)!;
        Assert.Equal(("outbound", "failed"), (outbound["direction"]!.GetValue<string>(), outbound["state"]!.GetValue<string>()));
    }

    [Fact]
    public async Task An_injected_503_is_retried_by_the_client_and_the_play_executes_once()
    {
        var (_, connection) = await AnsweredCallAsync();
        Simulator.InjectFailure(503, count: 1, operation: "Play");

        await Client().PlayAsync(connection, new PlayRequest(new PlaySource.TextToSpeech("Hello")) { OperationContext = "retried" }, Ct);

        Assert.Equal([503, 202], Simulator.Requests.Where(r => r.Operation == "Play").Select(r => r.Status));
        await Receiver.WaitForAsync("PlayStarted");
        Assert.Single(Receiver.OfType("PlayStarted"));
    }

    [Fact]
    public async Task Caller_and_party_endpoints_refuse_bad_input_with_problem_json()
    {
        using var badTones = await App.PostJsonAsync("/simulator/calls/sim-unknown/press", """{"tones":"12x"}""");
        using var unknownCall = await App.PostJsonAsync("/simulator/calls/sim-unknown/press", """{"tones":"1"}""");
        using var badParty = await App.PostJsonAsync("/simulator/parties/someone", """{"answer":"maybe"}""");
        using var page = await App.Client.GetAsync("/simulator", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, badTones.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownCall.StatusCode);
        Assert.Equal("application/problem+json", unknownCall.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, badParty.StatusCode);
        var errors = JsonNode.Parse(await badParty.Content.ReadAsStringAsync(Ct))!["errors"]!.AsObject();
        Assert.Equal(["party", "answer"], errors.Select(e => e.Key));
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("/simulator/calls", await page.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    /// <summary>Changes the body after the client has signed it, as a tampering proxy would.</summary>
    private sealed class AlteringHandler() : DelegatingHandler(new HttpClientHandler())
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = await request.Content!.ReadAsStringAsync(cancellationToken);
            var altered = new StringContent(body.Replace("\"callbackUri\":\"", "\"callbackUri\":\"https://attacker.example/?", StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json");
            foreach (var header in request.Content.Headers.Where(h => h.Key != "Content-Type" && h.Key != "Content-Length"))
            {
                altered.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
            request.Content = altered;
            return await base.SendAsync(request, cancellationToken);
        }
    }
}

internal static class TokenValidationParametersExtensions
{
    public static TokenValidationParameters With(this TokenValidationParameters parameters, Action<TokenValidationParameters> change)
    {
        change(parameters);
        return parameters;
    }
}
