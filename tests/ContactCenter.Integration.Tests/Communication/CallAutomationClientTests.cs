using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using ContactCenter.Azure.Communication;
using ContactCenter.Core.Voice;
using ContactCenter.Functions.Local;
using ContactCenter.Functions.Local.CallAutomation;
using ContactCenter.Integration.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.Integration.Tests.Communication;

/// <summary>The Call Automation REST client against a fake ACS on real Kestrel: what goes on the wire, signing, failures.</summary>
public sealed class CallAutomationClientTests : IAsyncLifetime
{
    private static readonly Uri Callback = new("https://app.contoso.com/api/calls/events");
    private static readonly CallTarget.PhoneNumber Customer = new("+14255550100");
    private static readonly CallTarget.PhoneNumber ContactCenterNumber = new("+18005550199");
    private static readonly CallTarget.CommunicationUser Agent = new("8:acs:resource_agent-7");
    private static readonly CallTarget.TeamsUser Supervisor = new("2b9c3f1e-5d8a-4e1f-9a7b-0c6d2e4f8a10");

    // Compare bodies as text without escaping '+' (which the wire may carry as \u002B: equal JSON).
    private static readonly System.Text.Json.JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private FakeCallAutomationServer? _acs;

    private FakeCallAutomationServer Acs => _acs!;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _acs = await FakeCallAutomationServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_acs is not null)
        {
            await _acs.DisposeAsync();
        }
    }

    private CallAutomationClient Client(TimeProvider? time = null, string? connectionString = null) =>
        new(connectionString ?? Acs.ConnectionString, new CallAutomationClientOptions { Retry = { Delay = TimeSpan.FromMilliseconds(1) } }, time);

    // A fresh context each time: as in ACS, an incoming call is answered once.
    private async Task<string> AnsweredCall(CallAutomationClient client) =>
        (await client.AnswerAsync(new AnswerCallRequest("incoming-context-" + Guid.NewGuid().ToString("N"), Callback), Cancel)).CallConnectionId;

    private SimulatedAcsRequest Last() => Acs.Requests.Last();

    [Fact]
    public async Task Answer_posts_the_incoming_call_context_and_callback_signed_and_repeatable_and_returns_the_connection_id()
    {
        var connection = await Client().AnswerAsync(new AnswerCallRequest("H4sIAAAA-context", Callback) { OperationContext = "ivr-main" }, Cancel);

        var sent = Assert.Single(Acs.Requests);
        Assert.Equal(200, sent.Status); // the fake verified the HMAC signature, date and body hash
        Assert.Equal(("POST", "/calling/callConnections:answer", "2025-06-15"), (sent.Method, sent.Path, sent.ApiVersion));
        Assert.Equal("H4sIAAAA-context", sent.Body!["incomingCallContext"]!.GetValue<string>());
        Assert.Equal(Callback.AbsoluteUri, sent.Body["callbackUri"]!.GetValue<string>());
        Assert.Equal("ivr-main", sent.Body["operationContext"]!.GetValue<string>());
        Assert.Equal(3, sent.Body.Count);
        Assert.True(Guid.TryParse(sent.Header("Repeatability-Request-ID"), out _));
        Assert.True(DateTimeOffset.TryParseExact(sent.Header("Repeatability-First-Sent"), "R", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _));
        Assert.True(Guid.TryParse(connection.CallConnectionId, out _));
        Assert.NotNull(connection.ServerCallId);
        Assert.NotNull(connection.CorrelationId);
    }

    [Fact]
    public async Task Create_call_sends_each_target_kind_in_its_identifier_model_with_the_caller_id()
    {
        var client = Client();
        var dialed = await client.CreateCallAsync(new CreateCallRequest(Customer, Callback)
        {
            CallerId = ContactCenterNumber,
            CallerDisplayName = "Contoso Support",
            OperationContext = "callback-42",
        }, Cancel);
        await client.CreateCallAsync(new CreateCallRequest(Agent, Callback), Cancel);
        await client.CreateCallAsync(new CreateCallRequest(Supervisor, Callback), Cancel);

        var requests = Acs.Requests.ToArray();
        Assert.All(requests, r => Assert.Equal((201, "POST", "/calling/callConnections"), (r.Status, r.Method, r.Path)));
        var phone = requests[0].Body!;
        Assert.Equal("""[{"kind":"phoneNumber","phoneNumber":{"value":"+14255550100"}}]""", phone["targets"]!.ToJsonString(Relaxed));
        Assert.Equal("""{"value":"+18005550199"}""", phone["sourceCallerIdNumber"]!.ToJsonString(Relaxed));
        Assert.Equal("Contoso Support", phone["sourceDisplayName"]!.GetValue<string>());
        Assert.Equal("callback-42", phone["operationContext"]!.GetValue<string>());
        Assert.Equal(Callback.AbsoluteUri, phone["callbackUri"]!.GetValue<string>());
        Assert.Equal("""[{"kind":"communicationUser","communicationUser":{"id":"8:acs:resource_agent-7"}}]""", requests[1].Body!["targets"]!.ToJsonString(Relaxed));
        Assert.Null(requests[1].Body!["sourceCallerIdNumber"]);
        Assert.Equal("""[{"kind":"microsoftTeamsUser","microsoftTeamsUser":{"userId":"2b9c3f1e-5d8a-4e1f-9a7b-0c6d2e4f8a10"}}]""", requests[2].Body!["targets"]!.ToJsonString(Relaxed));
        Assert.False(string.IsNullOrEmpty(dialed.CallConnectionId));
    }

    [Fact]
    public async Task Reject_and_redirect_name_the_incoming_call_and_the_reason_or_target()
    {
        var client = Client();
        await client.RejectAsync("ctx-1", CallRejectReason.Busy, Cancel);
        await client.RedirectAsync("ctx-2", Agent, Cancel);

        var (reject, redirect) = (Acs.Requests.First(), Acs.Requests.Last());
        Assert.Equal(("/calling/callConnections:reject", 204), (reject.Path, reject.Status));
        Assert.Equal("""{"incomingCallContext":"ctx-1","callRejectReason":"busy"}""", reject.Body!.ToJsonString(Relaxed));
        Assert.Equal(("/calling/callConnections:redirect", 204), (redirect.Path, redirect.Status));
        Assert.Equal("""{"incomingCallContext":"ctx-2","target":{"kind":"communicationUser","communicationUser":{"id":"8:acs:resource_agent-7"}}}""", redirect.Body!.ToJsonString(Relaxed));
        Assert.NotNull(reject.Header("Repeatability-Request-ID"));
    }

    [Fact]
    public async Task Play_sends_text_to_speech_to_one_participant_in_a_loop_or_a_file_to_everyone()
    {
        var client = Client();
        var call = await AnsweredCall(client);
        await client.PlayAsync(call, new PlayRequest(new PlaySource.TextToSpeech("Your call is important to us.") { VoiceName = "en-US-JennyNeural", Language = "en-US" })
        {
            To = Customer,
            Loop = true,
            OperationContext = "queue-announcement",
        }, Cancel);
        await client.PlayAsync(call, new PlayRequest(new PlaySource.AudioFile(new Uri("https://media.contoso.com/hold.wav"))), Cancel);

        var requests = Acs.Requests.Skip(1).ToArray();
        Assert.All(requests, r => Assert.Equal(($"/calling/callConnections/{call}:play", 202, "2025-06-15"), (r.Path, r.Status, r.ApiVersion)));
        var tts = requests[0].Body!;
        Assert.Equal("""[{"kind":"text","text":{"text":"Your call is important to us.","sourceLocale":"en-US","voiceName":"en-US-JennyNeural"}}]""", tts["playSources"]!.ToJsonString(Relaxed));
        Assert.Equal("""[{"kind":"phoneNumber","phoneNumber":{"value":"+14255550100"}}]""", tts["playTo"]!.ToJsonString(Relaxed));
        Assert.Equal("""{"loop":true}""", tts["playOptions"]!.ToJsonString(Relaxed));
        Assert.Equal("queue-announcement", tts["operationContext"]!.GetValue<string>());
        var file = requests[1].Body!;
        Assert.Equal("""[{"kind":"file","file":{"uri":"https://media.contoso.com/hold.wav"}}]""", file["playSources"]!.ToJsonString(Relaxed));
        Assert.Null(file["playTo"]);
        Assert.Equal("""{"loop":false}""", file["playOptions"]!.ToJsonString(Relaxed));
    }

    [Fact]
    public async Task Recognize_sends_dtmf_speech_and_choices_options_under_their_spec_names()
    {
        var client = Client();
        var call = await AnsweredCall(client);
        var prompt = new PlaySource.TextToSpeech("Enter your account number, then press pound.");
        await client.RecognizeAsync(call, new RecognizeRequest(Customer, new RecognizeInput.Dtmf(8)
        {
            InterToneTimeout = TimeSpan.FromSeconds(5),
            StopTones = [DtmfTone.Pound, DtmfTone.Asterisk],
        })
        {
            Prompt = prompt,
            InitialSilenceTimeout = TimeSpan.FromSeconds(10),
            OperationContext = "account-number",
        }, Cancel);
        await client.RecognizeAsync(call, new RecognizeRequest(Customer, new RecognizeInput.Speech { Language = "en-GB", EndSilenceTimeout = TimeSpan.FromMilliseconds(1500) }) { InterruptPrompt = false }, Cancel);
        await client.RecognizeAsync(call, new RecognizeRequest(Customer, new RecognizeInput.Choices(
            [new RecognizeChoice("billing", ["billing", "invoice"], DtmfTone.One), new RecognizeChoice("agent", ["agent", "person"])]) { Language = "en-US" }), Cancel);

        var requests = Acs.Requests.Skip(1).ToArray();
        Assert.All(requests, r => Assert.Equal(($"/calling/callConnections/{call}:recognize", 202), (r.Path, r.Status)));
        var dtmf = requests[0].Body!;
        Assert.Equal("dtmf", dtmf["recognizeInputType"]!.GetValue<string>());
        Assert.Equal("""{"kind":"text","text":{"text":"Enter your account number, then press pound."}}""", dtmf["playPrompt"]!.ToJsonString(Relaxed));
        Assert.Equal("account-number", dtmf["operationContext"]!.GetValue<string>());
        Assert.Equal(
            """{"interruptPrompt":true,"initialSilenceTimeoutInSeconds":10,"targetParticipant":{"kind":"phoneNumber","phoneNumber":{"value":"+14255550100"}},"dtmfOptions":{"interToneTimeoutInSeconds":5,"maxTonesToCollect":8,"stopTones":["pound","asterisk"]}}""",
            dtmf["recognizeOptions"]!.ToJsonString(Relaxed));
        var speech = requests[1].Body!;
        Assert.Equal("speech", speech["recognizeInputType"]!.GetValue<string>());
        Assert.Null(speech["playPrompt"]);
        Assert.Equal(
            """{"interruptPrompt":false,"targetParticipant":{"kind":"phoneNumber","phoneNumber":{"value":"+14255550100"}},"speechLanguage":"en-GB","speechOptions":{"endSilenceTimeoutInMs":1500}}""",
            speech["recognizeOptions"]!.ToJsonString(Relaxed));
        var choices = requests[2].Body!;
        Assert.Equal("choices", choices["recognizeInputType"]!.GetValue<string>());
        Assert.Equal("en-US", choices["recognizeOptions"]!["speechLanguage"]!.GetValue<string>());
        Assert.Equal("""[{"label":"billing","phrases":["billing","invoice"],"tone":"one"},{"label":"agent","phrases":["agent","person"]}]""",
            choices["recognizeOptions"]!["choices"]!.ToJsonString(Relaxed));
    }

    [Fact]
    public async Task Cancel_transfer_and_participant_operations_use_their_paths_and_bodies()
    {
        var client = Client();
        var call = await AnsweredCall(client);
        await client.CancelAllMediaOperationsAsync(call, Cancel);
        await client.TransferAsync(call, new TransferRequest(Agent) { Transferee = Customer, OperationContext = "to-agent" }, Cancel);
        var added = await client.AddParticipantAsync(call, new AddParticipantRequest(Customer)
        {
            CallerId = ContactCenterNumber,
            InvitationTimeout = TimeSpan.FromSeconds(30),
            OperationContext = "consult",
        }, Cancel);
        await client.RemoveParticipantAsync(call, Supervisor, "drop-supervisor", Cancel);

        var r = Acs.Requests.Skip(1).ToArray();
        Assert.Equal(($"/calling/callConnections/{call}:cancelAllMediaOperations", 202), (r[0].Path, r[0].Status));
        Assert.Null(r[0].Body);
        Assert.Null(r[0].Header("Repeatability-Request-ID")); // the spec defines none for media operations
        Assert.Equal(($"/calling/callConnections/{call}:transferToParticipant", 202), (r[1].Path, r[1].Status));
        Assert.Equal(
            """{"targetParticipant":{"kind":"communicationUser","communicationUser":{"id":"8:acs:resource_agent-7"}},"operationContext":"to-agent","transferee":{"kind":"phoneNumber","phoneNumber":{"value":"+14255550100"}}}""",
            r[1].Body!.ToJsonString(Relaxed));
        Assert.NotNull(r[1].Header("Repeatability-Request-ID"));
        Assert.Equal(($"/calling/callConnections/{call}/participants:add", 202), (r[2].Path, r[2].Status));
        Assert.Equal(
            """{"sourceCallerIdNumber":{"value":"+18005550199"},"participantToAdd":{"kind":"phoneNumber","phoneNumber":{"value":"+14255550100"}},"invitationTimeoutInSeconds":30,"operationContext":"consult"}""",
            r[2].Body!.ToJsonString(Relaxed));
        Assert.True(Guid.TryParse(added.InvitationId, out _));
        Assert.Equal(($"/calling/callConnections/{call}/participants:remove", 202), (r[3].Path, r[3].Status));
        Assert.Equal(
            """{"participantToRemove":{"kind":"microsoftTeamsUser","microsoftTeamsUser":{"userId":"2b9c3f1e-5d8a-4e1f-9a7b-0c6d2e4f8a10"}},"operationContext":"drop-supervisor"}""",
            r[3].Body!.ToJsonString(Relaxed));
    }

    [Fact]
    public async Task Hang_up_leaves_with_delete_or_ends_for_everyone_with_terminate()
    {
        var client = Client();
        var left = await AnsweredCall(client);
        var ended = await AnsweredCall(client);
        await client.HangUpAsync(left, forEveryone: false, Cancel);
        await client.HangUpAsync(ended, forEveryone: true, Cancel);

        var r = Acs.Requests.Skip(2).ToArray();
        Assert.Equal(("DELETE", $"/calling/callConnections/{left}", 204), (r[0].Method, r[0].Path, r[0].Status));
        Assert.Equal(("POST", $"/calling/callConnections/{ended}:terminate", 204), (r[1].Method, r[1].Path, r[1].Status));
        Assert.Null(r[1].Body);
        // The call is gone: a media operation on it now surfaces ACS's 404.
        var gone = await Assert.ThrowsAsync<RequestFailedException>(() => client.CancelAllMediaOperationsAsync(ended, Cancel));
        Assert.Equal(404, gone.Status);
    }

    [Fact]
    public async Task Recording_starts_by_call_connection_id_and_stops_by_recording_id()
    {
        var client = Client();
        var call = await AnsweredCall(client);
        var recording = await client.StartRecordingAsync(new StartRecordingRequest(call)
        {
            StateCallbackUri = new Uri("https://app.contoso.com/api/recordings/events"),
            Content = RecordingContent.Audio,
            Channels = RecordingChannels.Unmixed,
            Format = RecordingFormat.Wav,
        }, Cancel);
        await client.StopRecordingAsync(recording.RecordingId, Cancel);

        var r = Acs.Requests.Skip(1).ToArray();
        Assert.Equal(("POST", "/calling/recordings", 200), (r[0].Method, r[0].Path, r[0].Status));
        Assert.Equal(
            $$"""{"callConnectionId":"{{call}}","recordingStateCallbackUri":"https://app.contoso.com/api/recordings/events","recordingContentType":"audio","recordingChannelType":"unmixed","recordingFormatType":"wav"}""",
            r[0].Body!.ToJsonString(Relaxed));
        Assert.Equal("active", recording.State);
        Assert.Equal(("DELETE", 204), (r[1].Method, r[1].Status));
        Assert.Equal("/calling/recordings/" + recording.RecordingId, Uri.UnescapeDataString(r[1].Path));
    }

    [Fact]
    public async Task Hmac_signature_matches_a_known_answer_computed_independently()
    {
        // Known answer computed with openssl from the documented recipe:
        //   hash = base64(sha256(body)); sig = base64(hmac-sha256(base64decode(key), "POST\n<path?query>\n<date>;<host>;<hash>"))
        const string Body = """{"incomingCallContext":"ctx","callbackUri":"https://app.contoso.com/callback"}""";
        HttpRequestMessage? captured = null;
        string? capturedBody = null;
        var transport = new HttpClientTransport(new CapturingHandler(async request =>
        {
            captured = request;
            capturedBody = await request.Content!.ReadAsStringAsync();
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"callConnectionId":"c-1"}""") };
        }));
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 30, 5, TimeSpan.FromHours(1)));
        var client = new CallAutomationClient("endpoint=https://contoso.communication.azure.com/;accesskey=bm90LWEtcmVhbC1rZXk=",
            new CallAutomationClientOptions { Transport = transport }, time);

        var connection = await client.AnswerAsync(new AnswerCallRequest("ctx", new Uri("https://app.contoso.com/callback")), Cancel);

        Assert.Equal("c-1", connection.CallConnectionId);
        Assert.Equal(Body, capturedBody);
        Assert.Equal("https://contoso.communication.azure.com/calling/callConnections:answer?api-version=2025-06-15", captured!.RequestUri!.AbsoluteUri);
        Assert.Equal("Mon, 23 Nov 2026 08:30:05 GMT", captured.Headers.GetValues("x-ms-date").Single());
        Assert.Equal("J+4YnHJYDEGe6nyScYtynu/I8wI2ZgQrVlWFehayAIw=", captured.Headers.GetValues("x-ms-content-sha256").Single());
        Assert.Equal("HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=cnHj6hdnc0npL39pr7kxbI6AGUwWwzzkAF8lnQioDys=",
            captured.Headers.GetValues("Authorization").Single());
        Assert.Equal("Mon, 23 Nov 2026 08:30:05 GMT", captured.Headers.GetValues("Repeatability-First-Sent").Single());
    }

    [Fact]
    public async Task A_wrong_key_or_a_stale_date_is_refused_with_401_and_not_retried()
    {
        var wrongKey = Client(connectionString: $"endpoint={Acs.Endpoint};accesskey={Convert.ToBase64String("some-other-key"u8.ToArray())}");
        var badKey = await Assert.ThrowsAsync<RequestFailedException>(() => wrongKey.AnswerAsync(new AnswerCallRequest("ctx", Callback), Cancel));
        var stale = Client(new FakeTimeProvider(DateTimeOffset.UtcNow - TimeSpan.FromMinutes(20)));
        var staleDate = await Assert.ThrowsAsync<RequestFailedException>(() => stale.AnswerAsync(new AnswerCallRequest("ctx", Callback), Cancel));

        Assert.Equal((401, "401"), (badKey.Status, badKey.ErrorCode));
        Assert.Equal(401, staleDate.Status);
        Assert.Contains("x-ms-date", staleDate.Message, StringComparison.Ordinal);
        Assert.Equal(2, Acs.Requests.Count);
        Assert.Equal(0, Acs.Executions);
        Assert.DoesNotContain(FakeCallAutomationServer.AccessKey, badKey.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transient_failures_are_retried_with_the_same_repeatability_headers_and_a_fresh_signature()
    {
        Acs.FailNext(500);
        Acs.FailNext(503);

        var connection = await Client().AnswerAsync(new AnswerCallRequest("ctx", Callback), Cancel);

        var attempts = Acs.Requests.ToArray();
        Assert.Equal([500, 503, 200], attempts.Select(a => a.Status));
        Assert.Single(attempts.Select(a => a.Header("Repeatability-Request-ID")).Distinct());
        Assert.Single(attempts.Select(a => a.Header("Repeatability-First-Sent")).Distinct());
        Assert.NotNull(attempts[0].Header("Repeatability-Request-ID"));
        Assert.False(string.IsNullOrEmpty(connection.CallConnectionId));
        Assert.Equal(1, Acs.Executions);
    }

    [Fact]
    public async Task A_lost_answer_response_is_retried_and_the_service_replays_the_first_result_instead_of_answering_twice()
    {
        Acs.FailNext(503, afterExecuting: true);

        var connection = await Client().AnswerAsync(new AnswerCallRequest("ctx", Callback), Cancel);

        Assert.Equal([503, 200], Acs.Requests.Select(a => a.Status));
        Assert.Equal(1, Acs.Executions);
        var call = await Client().AnswerAsync(new AnswerCallRequest("ctx-2", Callback), Cancel);
        Assert.NotEqual(call.CallConnectionId, connection.CallConnectionId);
        // The replayed id is a live call: media on it succeeds.
        await Client().CancelAllMediaOperationsAsync(connection.CallConnectionId, Cancel);
    }

    [Fact]
    public async Task Permanent_errors_surface_at_once_with_status_and_acs_error_code()
    {
        var client = Client();
        var call = await AnsweredCall(client);
        Acs.FailNext(400, "8523", "Invalid request: playSources is empty.");

        var ex = await Assert.ThrowsAsync<RequestFailedException>(() =>
            client.PlayAsync(call, new PlayRequest(new PlaySource.TextToSpeech("Hello")), Cancel));

        Assert.Equal(400, ex.Status);
        Assert.Equal("8523", ex.ErrorCode);
        Assert.Contains("Invalid request: playSources is empty.", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, Acs.Requests.Count); // answer + one play: 400 is not retried
        Assert.DoesNotContain(FakeCallAutomationServer.AccessKey, ex.Message, StringComparison.Ordinal);
        var unknown = await Assert.ThrowsAsync<RequestFailedException>(() => client.CancelAllMediaOperationsAsync("no-such-call", Cancel));
        Assert.Equal((404, "8522"), (unknown.Status, unknown.ErrorCode));
    }

    [Fact]
    public async Task With_entra_id_a_token_for_the_acs_scope_is_sent_as_bearer_over_tls_only()
    {
        using var certificate = SelfSigned();
        await using var tls = await FakeCallAutomationServer.StartAsync(certificate, bearerToken: "token-for-acs");
        var credential = new RecordingCredential();
        var options = new CallAutomationClientOptions
        {
            // Trust exactly this test certificate.
            Transport = new HttpClientTransport(new HttpClientHandler
            {
                ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint,
            }),
        };

        var connection = await new CallAutomationClient(tls.Endpoint, credential, options).AnswerAsync(new AnswerCallRequest("ctx", Callback), Cancel);
        var plain = new CallAutomationClient(Acs.Endpoint, credential);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => plain.AnswerAsync(new AnswerCallRequest("ctx", Callback), Cancel));

        var sent = Assert.Single(tls.Requests);
        Assert.Equal(("Bearer token-for-acs", 200), (sent.Header("Authorization"), sent.Status));
        Assert.Equal("https://communication.azure.com//.default", Assert.Single(credential.Scopes.Distinct()));
        Assert.False(string.IsNullOrEmpty(connection.CallConnectionId));
        Assert.Contains("https", refused.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(Acs.Requests);
    }

    [Theory]
    [InlineData("endpoint=https://x.communication.azure.com/")]
    [InlineData("accesskey=c2VjcmV0")]
    [InlineData("endpoint=not a uri;accesskey=c2VjcmV0")]
    [InlineData("endpoint=https://x.communication.azure.com/;accesskey=***not-base64***")]
    public void Incomplete_or_malformed_connection_strings_are_refused_without_echoing_the_key(string connectionString)
    {
        var ex = Assert.Throws<FormatException>(() => new CallAutomationClient(connectionString));
        Assert.Contains("accesskey", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("***not-base64***", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Requests_outside_the_providers_ranges_are_refused_before_anything_is_sent()
    {
        Assert.Throws<ArgumentException>(() => new CallTarget.PhoneNumber("425-555-0100"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RecognizeInput.Dtmf(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RecognizeInput.Dtmf(4) { InterToneTimeout = TimeSpan.FromSeconds(61) });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RecognizeRequest(Customer, new RecognizeInput.Speech()) { InitialSilenceTimeout = TimeSpan.FromSeconds(301) });
        Assert.Throws<ArgumentOutOfRangeException>(() => new AddParticipantRequest(Customer) { InvitationTimeout = TimeSpan.FromSeconds(181) });
        Assert.Throws<ArgumentException>(() => new AnswerCallRequest("ctx", new Uri("/relative", UriKind.Relative)));
        Assert.Throws<ArgumentException>(() => new RecognizeInput.Choices([]));
        Assert.Empty(Acs.Requests);
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        // Re-import so Kestrel gets a certificate whose private key it can use on Linux.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }

    private sealed class CapturingHandler(Func<HttpRequestMessage, Task<HttpResponseMessage>> respond) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => respond(request);
    }

    private sealed class RecordingCredential : TokenCredential
    {
        public List<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes.AddRange(requestContext.Scopes);
            return new AccessToken("token-for-acs", DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new(GetToken(requestContext, cancellationToken));
    }
}
