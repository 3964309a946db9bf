using ContactCenter.Core.Ivr;
using ContactCenter.Core.Routing;

namespace ContactCenter.Core.Tests.Ivr;

public sealed class IvrEngineTests
{
    /// <summary>Monday 23 November 2026, 10:00 in London (GMT): open.</summary>
    private static readonly DateTimeOffset Monday10 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private const string Flows = """
        {
          "version": 1,
          "flows": [
            {
              "id": "main",
              "entry": "hello",
              "nodes": {
                "hello": { "type": "play", "text": "Welcome.", "next": "hours" },
                "hours": {
                  "type": "businessHours",
                  "hours": { "timeZone": "Europe/London", "weekly": { "mon": ["08:00-18:00"], "tue": ["08:00-18:00"] }, "holidays": ["2026-12-22"] },
                  "open": "menu", "closed": "closed"
                },
                "menu": {
                  "type": "menu",
                  "prompt": "Press 1 for billing, 2 for support, 3 for the desk, 4 for an agent, 5 for a message, 0 to leave.",
                  "options": [
                    { "digit": "1", "phrases": ["billing"], "next": "account" },
                    { "digit": "2", "phrases": ["support"], "next": "product" },
                    { "digit": "3", "next": "desk" },
                    { "digit": "4", "next": "agent" },
                    { "digit": "5", "next": "message" },
                    { "digit": "0", "next": "bye" }
                  ],
                  "maxRetries": 2, "timeoutSeconds": 6,
                  "noInput": "I heard nothing.", "noMatch": "Not an option.",
                  "fallback": "general"
                },
                "account": {
                  "type": "collectDigits", "prompt": "Your account number?", "minDigits": 4, "maxDigits": 6, "terminator": "#",
                  "variable": "account", "pattern": "[1-9][0-9]*", "maxRetries": 1, "noInput": "No digits.", "invalid": "Invalid.",
                  "next": "vip", "fallback": "billing"
                },
                "vip": { "type": "setPriority", "priority": 8, "next": "billing" },
                "billing": { "type": "queue", "queue": "billing" },
                "product": {
                  "type": "speechChoices", "prompt": "Internet or TV?",
                  "choices": [ { "phrases": ["internet", "broadband"], "next": "internet" }, { "phrases": ["tv"], "next": "callback" } ],
                  "maxRetries": 0, "fallback": "callback"
                },
                "internet": { "type": "setSkills", "skills": { "internet": 3, "spanish": 2 }, "next": "callback" },
                "callback": {
                  "type": "offerCallback", "prompt": "Press 1 for a call back.", "acceptDigit": "1", "queue": "support",
                  "accepted": "booked", "declined": "support"
                },
                "booked": { "type": "hangup", "text": "We will call you back." },
                "support": { "type": "queue", "queue": "support", "priority": 3, "skills": { "internet": 5 } },
                "desk": { "type": "transfer", "to": "+442071234567" },
                "agent": { "type": "transfer", "agent": "agent-7" },
                "message": { "type": "voicemail", "prompt": "Leave a message.", "maxSeconds": 60, "queue": "general" },
                "general": { "type": "queue", "queue": "general" },
                "bye": { "type": "hangup" },
                "closed": { "type": "goto", "flow": "closed" }
              }
            },
            {
              "id": "closed",
              "entry": "sorry",
              "nodes": { "sorry": { "type": "hangup", "text": "We are closed.", "voice": "en-GB-SoniaNeural" } }
            },
            {
              "id": "billing-hours",
              "entry": "check",
              "nodes": {
                "check": { "type": "businessHours", "queue": "billing", "open": "open", "closed": "shut" },
                "open": { "type": "queue", "queue": "billing" },
                "shut": { "type": "hangup", "text": "Billing is closed." }
              }
            }
          ]
        }
        """;

    private const string MenuPrompt = "Press 1 for billing, 2 for support, 3 for the desk, 4 for an agent, 5 for a message, 0 to leave.";

    private static readonly IvrEngine Engine = new(IvrFlows.Parse(Flows));

    /// <summary>Plays the welcome and returns the step at the main menu.</summary>
    private static IvrStep AtMenu(DateTimeOffset? at = null)
    {
        var started = Engine.Start("main", at ?? Monday10);
        Assert.Equal(IvrWaiting.PlayCompleted, started.Session.Waiting);
        return Engine.Handle(started.Session, new PlayCompleted(at ?? Monday10));
    }

    private static IvrStep Press(IvrStep step, string digits) => Engine.Handle(step.Session, new DigitsReceived(digits, Monday10));

    private static IvrStep Say(IvrStep step, string phrase) => Engine.Handle(step.Session, new SpeechRecognized(phrase, Monday10));

    private static IvrStep Fail(IvrStep step, RecognizeFailure reason) => Engine.Handle(step.Session, new RecognizeFailed(reason, Monday10));

    [Fact]
    public void A_call_starts_with_the_entry_play_and_moves_on_when_it_completes()
    {
        var started = Engine.Start("main", Monday10);

        Assert.Equal(new Play(new IvrPrompt("Welcome.")), Assert.Single(started.Actions));
        Assert.Equal(("main", "hello", IvrWaiting.PlayCompleted), (started.Session.FlowId, started.Session.NodeId, started.Session.Waiting));

        var menu = Engine.Handle(started.Session, new PlayCompleted(Monday10));

        var recognize = Assert.IsType<Recognize>(Assert.Single(menu.Actions));
        Assert.Equal(RecognizeKind.DtmfOrChoices, recognize.Kind);
        Assert.Equal(["billing", "support"], recognize.Choices);
        Assert.Equal(TimeSpan.FromSeconds(6), recognize.Timeout);
        Assert.Equal(("menu", IvrWaiting.CallerInput), (menu.Session.NodeId, menu.Session.Waiting));
    }

    [Fact]
    public void A_flow_that_does_not_exist_hangs_up_at_once()
    {
        var step = Engine.Start("nowhere", Monday10);

        Assert.Equal(new HangUp(null), Assert.Single(step.Actions));
        Assert.True(step.Session.Ended);
        Assert.Equal("no flow 'nowhere'", step.Session.Outcome);
    }

    [Fact]
    public void A_menu_option_is_chosen_by_its_digit_or_by_one_of_its_phrases_in_any_case_and_spacing()
    {
        var byDigit = Press(AtMenu(), " 1 ");
        var byVoice = Say(AtMenu(), "  BILLING ");

        Assert.Equal("account", byDigit.Session.NodeId);
        Assert.Equal("account", byVoice.Session.NodeId);
        var question = Assert.IsType<Recognize>(Assert.Single(byDigit.Actions));
        Assert.Equal((RecognizeKind.Dtmf, 4, 6, (char?)'#'), (question.Kind, question.MinDigits, question.MaxDigits, question.Terminator));
    }

    [Fact]
    public void No_input_and_no_match_ask_again_with_their_own_prompt_then_take_the_fallback()
    {
        var menu = AtMenu();

        var silence = Fail(menu, RecognizeFailure.Timeout);
        var wrong = Press(silence, "7");
        var mumble = Say(wrong, "something else");

        Assert.Equal(["I heard nothing.", MenuPrompt], Prompts(silence));
        Assert.Equal(1, silence.Session.Retries);
        Assert.Equal(["Not an option.", MenuPrompt], Prompts(wrong));
        Assert.Equal(2, wrong.Session.Retries);
        // Two retries used: the third miss takes the fallback.
        Assert.Equal(new QueueCall("general", new ContactAnnotations(null, new Dictionary<string, int>(), new Dictionary<string, string>())).QueueId,
            Assert.IsType<QueueCall>(Assert.Single(mumble.Actions)).QueueId);
        Assert.True(mumble.Session.Ended);
        Assert.Equal("queued to general", mumble.Session.Outcome);
    }

    [Fact]
    public void Collected_digits_are_stored_without_the_terminator_and_handed_to_the_queue()
    {
        var account = Press(AtMenu(), "1");

        var queued = Press(account, "12345#");

        var call = Assert.IsType<QueueCall>(Assert.Single(queued.Actions));
        Assert.Equal("billing", call.QueueId);
        Assert.Equal("12345", call.Contact.Variables["account"]);
        Assert.Equal(8, call.Contact.Priority);
    }

    [Theory]
    [InlineData("123#", "too short")]
    [InlineData("1234567#", "too long")]
    [InlineData("0123#", "against the pattern")]
    [InlineData("12a4#", "not phone keys")]
    public void Digits_that_break_the_rules_count_as_no_match_then_reach_the_fallback(string entered, string why)
    {
        var account = Press(AtMenu(), "1");

        var retry = Press(account, entered);
        var fallback = Press(retry, entered);

        Assert.True(retry.Session.Retries == 1, why);
        Assert.Equal(["Invalid.", "Your account number?"], Prompts(retry));
        var call = Assert.IsType<QueueCall>(Assert.Single(fallback.Actions));
        Assert.Equal(("billing", null), (call.QueueId, call.Contact.Priority));
        Assert.Empty(call.Contact.Variables);
    }

    [Fact]
    public void Collect_digits_accepts_an_entry_without_the_terminator_and_hears_silence_as_no_input()
    {
        var account = Press(AtMenu(), "1");

        var silence = Fail(account, RecognizeFailure.Timeout);
        var spoken = Say(Press(AtMenu(), "1"), "one two three four");
        var done = Press(silence, "4321");

        Assert.Equal(["No digits.", "Your account number?"], Prompts(silence));
        Assert.Equal(["Invalid.", "Your account number?"], Prompts(spoken));
        Assert.Equal("4321", Assert.IsType<QueueCall>(Assert.Single(done.Actions)).Contact.Variables["account"]);
    }

    [Fact]
    public void Speech_choices_match_any_phrase_set_skills_and_offer_a_callback_that_can_be_accepted()
    {
        var product = Say(AtMenu(), "support");
        Assert.Equal(RecognizeKind.Choices, Assert.IsType<Recognize>(Assert.Single(product.Actions)).Kind);

        var offer = Say(product, "Broadband");
        Assert.Equal("callback", offer.Session.NodeId);
        Assert.Equal(new Dictionary<string, int> { ["internet"] = 3, ["spanish"] = 2 }, offer.Session.Skills);

        var accepted = Press(offer, "1");

        Assert.Collection(accepted.Actions,
            a => Assert.Equal(("support", 3, 2), (Assert.IsType<RequestCallback>(a).QueueId, ((RequestCallback)a).Contact.Skills["internet"], ((RequestCallback)a).Contact.Skills["spanish"])),
            a => Assert.Equal("We will call you back.", Assert.IsType<HangUp>(a).Goodbye!.Text));
        Assert.True(accepted.Session.Ended);
    }

    [Fact]
    public void A_declined_or_unanswered_callback_offer_queues_with_the_queue_nodes_priority_and_skills_over_the_callers()
    {
        var offer = Say(Say(AtMenu(), "support"), "internet");

        foreach (var declined in new[] { Press(offer, "2"), Fail(offer, RecognizeFailure.Timeout) })
        {
            var call = Assert.IsType<QueueCall>(Assert.Single(declined.Actions));
            Assert.Equal("support", call.QueueId);
            Assert.Equal(3, call.Contact.Priority);
            // The queue node's own skill requirement replaces the one set earlier; the others stay.
            Assert.Equal(new Dictionary<string, int> { ["internet"] = 5, ["spanish"] = 2 }, call.Contact.Skills);
        }
    }

    [Fact]
    public void Speech_choices_without_retries_take_the_fallback_at_the_first_miss()
    {
        var product = Say(AtMenu(), "support");

        var missed = Press(product, "1");

        Assert.Equal("callback", missed.Session.NodeId);
        Assert.Equal(["Press 1 for a call back."], Prompts(missed));
    }

    [Fact]
    public void Transfers_go_to_a_phone_number_or_an_agent()
    {
        Assert.Equal(new Transfer(TransferKind.PhoneNumber, "+442071234567"), Assert.Single(Press(AtMenu(), "3").Actions));
        var toAgent = Press(AtMenu(), "4");
        Assert.Equal(new Transfer(TransferKind.Agent, "agent-7"), Assert.Single(toAgent.Actions));
        Assert.Equal("transferred to agent-7", toAgent.Session.Outcome);
    }

    [Fact]
    public void Voicemail_records_for_a_queue_and_ends_the_ivr()
    {
        var step = Press(AtMenu(), "5");

        var voicemail = Assert.IsType<RecordVoicemail>(Assert.Single(step.Actions));
        Assert.Equal(("Leave a message.", 60, "general"), (voicemail.Prompt.Text, voicemail.MaxSeconds, voicemail.QueueId));
        Assert.Equal("voicemail for general", step.Session.Outcome);
    }

    [Fact]
    public void Hang_up_says_its_goodbye_when_it_has_one()
    {
        var silent = Press(AtMenu(), "0");

        Assert.Equal(new HangUp(null), Assert.Single(silent.Actions));
        Assert.Equal("hung up by the flow", silent.Session.Outcome);
    }

    [Theory]
    [InlineData("2026-11-23T07:59:00Z", false)] // Monday before opening
    [InlineData("2026-11-23T17:59:00Z", true)]
    [InlineData("2026-11-23T18:00:00Z", false)] // closing time is closed
    [InlineData("2026-11-25T10:00:00Z", false)] // Wednesday: no hours
    [InlineData("2026-12-22T10:00:00Z", false)] // a Tuesday, but a holiday
    [InlineData("2026-06-22T07:30:00Z", true)]  // Monday 08:30 in London in summer (UTC+1)
    [InlineData("2026-11-22T23:30:00+00:00", false)] // Sunday in London, already Monday further east
    [InlineData("2026-11-23T15:00:00+05:00", true)]  // 10:00 in London, whatever offset the time comes with
    public void Business_hours_branch_on_the_time_in_their_own_time_zone(string at, bool open)
    {
        var when = DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture);

        var step = AtMenu(when);

        if (open)
        {
            Assert.Equal("menu", step.Session.NodeId);
        }
        else
        {
            Assert.Equal(("closed", "sorry"), (step.Session.FlowId, step.Session.NodeId));
            Assert.Equal("We are closed.", Assert.IsType<HangUp>(Assert.Single(step.Actions)).Goodbye!.Text);
            Assert.Equal("en-GB-SoniaNeural", ((HangUp)step.Actions[0]).Goodbye!.Voice);
        }
    }

    [Fact]
    public void Business_hours_can_use_a_queues_hours_and_a_queue_without_hours_is_open()
    {
        var rules = RoutingRules.Parse("""
            { "version": 1, "queues": [ { "id": "billing", "businessHours": { "timeZone": "Europe/London", "weekly": { "mon": ["09:00-10:00"] } } } ] }
            """);
        var withHours = new IvrEngine(IvrFlows.Parse(Flows), new StaticQueueCatalog(rules.Queues));
        var withoutHours = new IvrEngine(IvrFlows.Parse(Flows), new StaticQueueCatalog([rules.Queues[0] with { Hours = null }]));

        Assert.IsType<QueueCall>(Assert.Single(withHours.Start("billing-hours", Monday10.AddMinutes(-30)).Actions));
        Assert.IsType<HangUp>(Assert.Single(withHours.Start("billing-hours", Monday10).Actions));
        Assert.IsType<QueueCall>(Assert.Single(withoutHours.Start("billing-hours", Monday10).Actions));
        Assert.IsType<QueueCall>(Assert.Single(Engine.Start("billing-hours", Monday10).Actions));
    }

    [Fact]
    public void The_caller_hanging_up_ends_the_session_and_nothing_happens_after()
    {
        var menu = AtMenu();

        var gone = Engine.Handle(menu.Session, new CallerHungUp(Monday10));
        var late = Press(gone, "1");

        Assert.Empty(gone.Actions);
        Assert.Equal("caller hung up", gone.Session.Outcome);
        Assert.Empty(late.Actions);
        Assert.Same(gone.Session, late.Session);
    }

    [Fact]
    public void Events_that_do_not_fit_the_state_are_ignored()
    {
        var started = Engine.Start("main", Monday10);
        var menu = AtMenu();

        Assert.Empty(Press(started, "1").Actions);
        Assert.Equal(started.Session, Press(started, "1").Session);
        Assert.Empty(Engine.Handle(menu.Session, new PlayCompleted(Monday10)).Actions);
        Assert.Equal(menu.Session, Engine.Handle(menu.Session, new CallStarted(Monday10)).Session);
        // A duplicate PlayCompleted after the engine moved on does not replay the next question.
        Assert.Empty(Engine.Handle(menu.Session, new PlayCompleted(Monday10)).Actions);
    }

    [Fact]
    public void A_session_whose_node_vanished_in_a_flows_update_ends_politely()
    {
        var menu = AtMenu();
        var updated = new IvrEngine(IvrFlows.Parse("""
            { "version": 2, "flows": [ { "id": "main", "entry": "hello", "nodes": { "hello": { "type": "hangup", "text": "Moved." } } } ] }
            """));

        var step = updated.Handle(menu.Session, new DigitsReceived("1", Monday10));

        Assert.Equal(new HangUp(null), Assert.Single(step.Actions));
        Assert.True(step.Session.Ended);
        Assert.Equal("node 'main/menu' no longer exists", step.Session.Outcome);
    }

    [Fact]
    public void A_stored_session_round_trips_through_json_and_garbage_is_a_format_exception()
    {
        var session = Press(Say(Say(AtMenu(), "support"), "internet").Session is var s ? new IvrStep(s with { Priority = 4, Variables = new Dictionary<string, string> { ["account"] = "ü\"1" } }, []) : null!, "9").Session;

        var copy = IvrSession.FromJson(session.ToJson());

        Assert.Equal((session.FlowId, session.NodeId, session.Waiting, session.Retries, session.Priority, session.Outcome),
            (copy.FlowId, copy.NodeId, copy.Waiting, copy.Retries, copy.Priority, copy.Outcome));
        Assert.Equal(session.Variables, copy.Variables);
        Assert.Equal(session.Skills, copy.Skills);
        Assert.Equal(session.ToJson(), copy.ToJson());
        Assert.Equal(Engine.Handle(session, new DigitsReceived("1", Monday10)).Actions, Engine.Handle(copy, new DigitsReceived("1", Monday10)).Actions, new ActionComparer());

        foreach (var garbage in new[] { "", "not json", "[]", "{}", "{\"flow\":\"main\"}", "{\"flow\":null,\"node\":\"a\",\"waiting\":\"Start\",\"retries\":0,\"variables\":{},\"skills\":{}}",
                     "{\"flow\":\"main\",\"node\":\"a\",\"waiting\":\"Dancing\",\"retries\":0,\"variables\":{},\"skills\":{}}",
                     "{\"flow\":\"main\",\"node\":\"a\",\"waiting\":\"42\",\"retries\":0,\"variables\":{},\"skills\":{}}",
                     "{\"flow\":\"main\",\"node\":\"a\",\"waiting\":\"Start\",\"retries\":0,\"variables\":{\"x\":1},\"skills\":{}}" })
        {
            Assert.Throws<FormatException>(() => IvrSession.FromJson(garbage));
        }
    }

    [Fact]
    public void Goto_continues_at_the_entry_of_the_other_flow()
    {
        var closed = AtMenu(Monday10.AddDays(2));

        Assert.Equal(("closed", "sorry"), (closed.Session.FlowId, closed.Session.NodeId));
    }

    private static List<string> Prompts(IvrStep step) =>
        Assert.IsType<Recognize>(Assert.Single(step.Actions)).Prompts.Select(p => p.Text!).ToList();

    /// <summary>Records holding lists compare by reference; this compares what an adapter would do.</summary>
    private sealed class ActionComparer : IEqualityComparer<IvrAction>
    {
        public bool Equals(IvrAction? x, IvrAction? y) => (x, y) switch
        {
            (QueueCall a, QueueCall b) => a.QueueId == b.QueueId && a.Contact.Priority == b.Contact.Priority
                && a.Contact.Skills.OrderBy(k => k.Key).SequenceEqual(b.Contact.Skills.OrderBy(k => k.Key))
                && a.Contact.Variables.OrderBy(k => k.Key).SequenceEqual(b.Contact.Variables.OrderBy(k => k.Key)),
            (RequestCallback a, RequestCallback b) => a.QueueId == b.QueueId && a.Contact.Variables.Count == b.Contact.Variables.Count,
            _ => Equals(x, y),
        };

        public int GetHashCode(IvrAction obj) => 0;
    }
}
