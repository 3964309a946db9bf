using ContactCenter.Core.Channels;
using ContactCenter.Core.State;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.Core.Tests.Channels;

public sealed class SmsOutboxTests
{
    private const string Customer = "+14255550100";
    private const string Support = "+18005550199";
    private const string Sales = "+18005550123";

    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(T0);
    private readonly RecordingSmsProvider _provider = new();
    private readonly SmsOptOutRegistry _registry;
    private readonly SmsOutbox _outbox;

    public SmsOutboxTests()
    {
        _registry = new SmsOptOutRegistry(new InMemoryStateStore(_time), _time);
        _outbox = new SmsOutbox(_provider, _registry, new SmsOutboxOptions { HelpReply = "Contoso: reply STOP to opt out." });
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static InboundSms FromCustomer(string text, DateTimeOffset at, string to = Support) => new("in-" + Guid.NewGuid(), Customer, to, text, at);

    [Fact]
    public async Task A_text_goes_to_the_provider_and_its_result_comes_back()
    {
        var result = await _outbox.SendAsync(new OutgoingSms(Support, Customer, "Your ticket 42 is solved.") { Tag = "conversation-7" }, Cancel);

        Assert.True(result.Accepted);
        var sent = Assert.Single(_provider.Sent);
        Assert.Equal(("Your ticket 42 is solved.", "conversation-7"), (sent.Text, sent.Tag));
    }

    [Fact]
    public async Task A_provider_refusal_is_returned_not_thrown()
    {
        _provider.RefuseNext = "Invalid destination";

        var result = await _outbox.SendAsync(new OutgoingSms(Support, Customer, "Hi"), Cancel);

        Assert.False(result.Accepted);
        Assert.Equal("Invalid destination", result.Error);
    }

    [Fact]
    public async Task Opted_out_numbers_are_refused_before_the_provider_sees_anything()
    {
        await _registry.OptOutAsync(Customer, Support, T0, cancellationToken: Cancel);

        var refused = await Assert.ThrowsAsync<SmsRecipientOptedOutException>(() => _outbox.SendAsync(new OutgoingSms(Support, Customer, "Hello again"), Cancel));

        Assert.Equal((Support, Customer, T0), (refused.From, refused.To, refused.Since));
        Assert.Empty(_provider.Sent);
        // Another number of ours may still text them.
        await _outbox.SendAsync(new OutgoingSms(Sales, Customer, "Offer"), Cancel);
        Assert.Single(_provider.Sent);
    }

    [Fact]
    public async Task A_global_opt_out_refuses_every_number_of_ours()
    {
        await _registry.OptOutAsync(Customer, null, T0, "by phone", Cancel);

        await Assert.ThrowsAsync<SmsRecipientOptedOutException>(() => _outbox.SendAsync(new OutgoingSms(Sales, Customer, "Offer"), Cancel));
        Assert.Empty(_provider.Sent);
    }

    [Fact]
    public async Task Oversize_and_empty_texts_are_refused_before_the_provider()
    {
        var outbox = new SmsOutbox(_provider, _registry, new SmsOutboxOptions { MaxSegments = 2 });

        var tooLong = await Assert.ThrowsAsync<SmsTooLongException>(() => outbox.SendAsync(new OutgoingSms(Support, Customer, new string('x', 307)), Cancel));
        Assert.Equal(3, tooLong.Length.Segments);
        await Assert.ThrowsAsync<ArgumentException>(() => outbox.SendAsync(new OutgoingSms(Support, Customer, "  "), Cancel));
        Assert.Empty(_provider.Sent);

        await outbox.SendAsync(new OutgoingSms(Support, Customer, new string('x', 306)), Cancel);
        Assert.Single(_provider.Sent);
    }

    [Fact]
    public async Task Stop_opts_out_and_sends_the_single_confirmation_then_nothing_more()
    {
        var result = await _outbox.HandleKeywordAsync(FromCustomer(" stop ", T0), Cancel);

        Assert.Equal((SmsKeyword.OptOut, true), (result.Keyword, result.Changed));
        var confirmation = Assert.Single(_provider.Sent);
        Assert.Equal((Support, Customer), (confirmation.From, confirmation.To));
        Assert.Equal(new SmsOutboxOptions().OptOutConfirmation, confirmation.Text);
        Assert.True(await _registry.IsOptedOutAsync(Support, Customer, Cancel));

        // The same STOP delivered again, and a second STOP later: no second confirmation.
        var duplicate = await _outbox.HandleKeywordAsync(FromCustomer("STOP", T0), Cancel);
        var again = await _outbox.HandleKeywordAsync(FromCustomer("QUIT", T0.AddMinutes(10)), Cancel);
        Assert.Equal((true, (SmsSendResult?)null), (duplicate.Changed, duplicate.Reply)); // its change stands, already confirmed
        Assert.Equal((false, (SmsSendResult?)null), (again.Changed, again.Reply));
        Assert.Single(_provider.Sent);
        await Assert.ThrowsAsync<SmsRecipientOptedOutException>(() => _outbox.SendAsync(new OutgoingSms(Support, Customer, "Are you there?"), Cancel));
    }

    [Fact]
    public async Task A_stop_whose_confirmation_failed_sends_it_when_retried()
    {
        _provider.FailNext = true;
        await Assert.ThrowsAsync<HttpRequestException>(() => _outbox.HandleKeywordAsync(FromCustomer("STOP", T0), Cancel));
        Assert.True(await _registry.IsOptedOutAsync(Support, Customer, Cancel)); // recorded before the reply

        var retried = await _outbox.HandleKeywordAsync(FromCustomer("STOP", T0), Cancel);

        Assert.True(retried.Reply!.Accepted);
        Assert.Single(_provider.Sent);
    }

    [Fact]
    public async Task Start_opts_back_in_with_a_confirmation_and_texts_flow_again()
    {
        await _outbox.HandleKeywordAsync(FromCustomer("STOP", T0), Cancel);

        var result = await _outbox.HandleKeywordAsync(FromCustomer("Start", T0.AddMinutes(1)), Cancel);

        Assert.Equal((SmsKeyword.OptIn, true), (result.Keyword, result.Changed));
        Assert.Equal(new SmsOutboxOptions().OptInConfirmation, _provider.Sent.Last().Text);
        await _outbox.SendAsync(new OutgoingSms(Support, Customer, "Welcome back"), Cancel);
        Assert.Equal(3, _provider.Sent.Count);
    }

    [Fact]
    public async Task Help_is_answered_with_the_configured_text_even_when_opted_out()
    {
        await _outbox.HandleKeywordAsync(FromCustomer("STOP", T0), Cancel);

        var result = await _outbox.HandleKeywordAsync(FromCustomer("help", T0.AddMinutes(1)), Cancel);

        Assert.Equal(SmsKeyword.Help, result.Keyword);
        Assert.Equal("Contoso: reply STOP to opt out.", _provider.Sent.Last().Text);
        Assert.True(await _registry.IsOptedOutAsync(Support, Customer, Cancel));
    }

    [Fact]
    public async Task An_ordinary_message_is_left_alone()
    {
        var result = await _outbox.HandleKeywordAsync(FromCustomer("Please stop the delivery on Monday", T0), Cancel);

        Assert.Equal(new SmsKeywordResult(SmsKeyword.None, false, null), result);
        Assert.Empty(_provider.Sent);
    }

    [Fact]
    public void Replies_that_cannot_be_sent_are_refused_at_construction()
    {
        var error = Assert.Throws<ArgumentException>(() => new SmsOutbox(_provider, _registry, new SmsOutboxOptions { HelpReply = new string('h', 400), MaxSegments = 2 }));
        Assert.Contains("HelpReply", error.Message);
        Assert.Throws<ArgumentException>(() => new SmsOutbox(_provider, _registry, new SmsOutboxOptions { OptOutConfirmation = "" }));
    }

    private sealed class RecordingSmsProvider : ISmsProvider
    {
        public List<OutgoingSms> Sent { get; } = [];
        public string? RefuseNext { get; set; }
        public bool FailNext { get; set; }

        public Task<SmsSendResult> SendAsync(OutgoingSms sms, CancellationToken cancellationToken = default)
        {
            if (FailNext)
            {
                FailNext = false;
                throw new HttpRequestException("503 from the provider");
            }
            if (RefuseNext is { } error)
            {
                RefuseNext = null;
                return Task.FromResult(new SmsSendResult(sms.To, null, false, 400, error));
            }
            Sent.Add(sms);
            return Task.FromResult(new SmsSendResult(sms.To, "msg-" + Sent.Count, true, 202));
        }
    }
}
