using ContactCenter.Core.Conversations;
using ContactCenter.Core.Messaging;
using ContactCenter.Core.Routing;

namespace ContactCenter.Core.Tests.Workspace;

/// <summary>The agent's inbox across channels, completing with a disposition, and internal notes on the case's timeline.</summary>
public sealed class AgentWorkspaceTests
{
    private readonly WorkspaceFixture _f = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_inbox_lists_texts_and_calls_with_their_customer_case_and_call()
    {
        await _f.AgentAsync("ann");
        var (textContact, sms) = await _f.TextAcceptedByAsync("ann");
        // The same customer calls: the call joins their open case; its contact is named after the call.
        await _f.Conversations.RecordCallAsync("4:+14255550100", "call-7", Direction.Inbound, "Call to +18005550199", Ct);
        await _f.Acd.EnqueueAsync(new NewContact("call-7", Channel.Voice, "general") { CustomerId = "4:+14255550100" }, Ct);
        _f.Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Single(await _f.RouteAsync("general"));
        await _f.Acd.AcceptAsync("ann", "call-7", Ct);

        var inbox = await _f.Workspace.InboxAsync("ann", Ct);

        Assert.Equal(2, inbox.Count);
        Assert.Equal(new InboxContactExpectation(textContact.Id, Channel.Sms, "support", sms.CustomerId, sms.ConversationId, null), Expect(inbox[0]));
        Assert.Equal(new InboxContactExpectation("call-7", Channel.Voice, "general", sms.CustomerId, sms.ConversationId, "call-7"), Expect(inbox[1]));
        Assert.Equal(WorkspaceFixture.T0, inbox[0].AssignedAt);
        Assert.Equal(WorkspaceFixture.T0.AddSeconds(5), inbox[1].AssignedAt);
        Assert.All(inbox, c => Assert.Equal(ContactStatus.Assigned, c.Status));

        await _f.Workspace.CompleteAsync("ann", textContact.Id, new WrapUpDetails("resolved", null), Ct);
        Assert.Equal(["call-7"], (await _f.Workspace.InboxAsync("ann", Ct)).Select(c => c.ContactId));
        await Assert.ThrowsAsync<UnknownAgentException>(() => _f.Workspace.InboxAsync("ghost", Ct));
    }

    private sealed record InboxContactExpectation(string ContactId, Channel Channel, string QueueId, string? CustomerId, string? ConversationId, string? CallId);

    private static InboxContactExpectation Expect(Core.Workspace.InboxContact c) => new(c.ContactId, c.Channel, c.QueueId, c.CustomerId, c.ConversationId, c.CallId);

    [Fact]
    public async Task Completing_with_a_disposition_keeps_it_on_the_contact_and_the_case_timeline_once()
    {
        await _f.AgentAsync("ann");
        var (contact, sms) = await _f.TextAcceptedByAsync("ann");

        var completed = await _f.Workspace.CompleteAsync("ann", contact.Id, new WrapUpDetails("Escalated", "  Sent to second line  "), Ct);
        var again = await _f.Workspace.CompleteAsync("ann", contact.Id, new WrapUpDetails("resolved", "changed my mind"), Ct);

        Assert.Equal((ContactStatus.Completed, "escalated", "Sent to second line"), (completed.Status, completed.Disposition, completed.WrapUpNotes));
        Assert.Equal("escalated", again.Disposition); // the first wrap-up stays
        Assert.Equal("escalated", (await _f.Acd.Acd.GetContactAsync(contact.Id, Ct)).Disposition);
        var wrapUp = Assert.Single(await _f.Conversations.TimelineAsync(sms.CustomerId, ct: Ct), e => e.Kind == TimelineEntryKind.WrapUp);
        Assert.Equal((sms.ConversationId, "ann", contact.Id, true), (wrapUp.ConversationId, wrapUp.AgentId, wrapUp.ContactId, wrapUp.Internal));
        Assert.Equal("Disposition: Escalated to second line (escalated)\nSent to second line", wrapUp.Text);
        Assert.DoesNotContain(_f.Sent, s => s.Queue == QueueNames.OutboundMessages && s.Message.Body.Contains("second line", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_queue_with_codes_refuses_an_unknown_or_missing_disposition_and_the_contact_stays_with_the_agent()
    {
        await _f.AgentAsync("ann");
        var (contact, _) = await _f.TextAcceptedByAsync("ann");

        var unknown = await Assert.ThrowsAsync<InvalidDispositionException>(() => _f.Workspace.CompleteAsync("ann", contact.Id, new WrapUpDetails("fixed", null), Ct));
        var missing = await Assert.ThrowsAsync<InvalidDispositionException>(() => _f.Workspace.CompleteAsync("ann", contact.Id, null, Ct));

        Assert.Equal(["resolved", "escalated"], unknown.Valid.Select(d => d.Code));
        Assert.Contains("'fixed' is not a disposition of queue 'support': use one of resolved, escalated", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("requires a disposition", missing.Message, StringComparison.Ordinal);
        Assert.Equal(ContactStatus.Assigned, (await _f.Acd.Acd.GetContactAsync(contact.Id, Ct)).Status);
        Assert.Equal(["resolved", "escalated"], _f.Workspace.DispositionsFor("support").Select(d => d.Code));
        Assert.Empty(_f.Workspace.DispositionsFor("general"));
        Assert.Throws<UnknownQueueException>(() => _f.Workspace.DispositionsFor("nowhere"));
    }

    [Fact]
    public async Task A_queue_without_codes_completes_with_notes_alone_or_nothing_and_someone_elses_contact_is_stale()
    {
        await _f.AgentAsync("ann");
        await _f.AgentAsync("bob", Presence.Away);
        await _f.Acd.EnqueueAsync(new NewContact("plain", Channel.Chat, "general"), Ct);
        Assert.Single(await _f.RouteAsync("general"));
        await _f.Acd.AcceptAsync("ann", "plain", Ct);

        var stale = await Assert.ThrowsAsync<StaleActionException>(() => _f.Workspace.CompleteAsync("bob", "plain", null, Ct));
        var done = await _f.Workspace.CompleteAsync("ann", "plain", new WrapUpDetails(null, "Customer had no customer record"), Ct);

        Assert.Contains("no longer bob's: it is with ann", stale.Message, StringComparison.Ordinal);
        Assert.Equal((ContactStatus.Completed, null, "Customer had no customer record"), (done.Status, done.Disposition, done.WrapUpNotes));
        Assert.True((await _f.Acd.Acd.GetAgentAsync("ann", Ct)).IsInWrapUp(_f.Clock.GetUtcNow()));
    }

    [Fact]
    public async Task A_note_goes_on_the_case_timeline_as_internal_once_and_never_to_the_customer()
    {
        await _f.AgentAsync("ann");
        var (contact, sms) = await _f.TextAcceptedByAsync("ann");
        var outboundBefore = _f.Sent.Count(s => s.Queue == QueueNames.OutboundMessages);

        var note = await _f.Workspace.AddNoteAsync("ann", contact.Id, "  Customer is on the fibre plan  ", Ct);
        var repeated = await _f.Workspace.AddNoteAsync("ann", contact.Id, "Customer is on the fibre plan", Ct);
        await _f.Workspace.AddNoteAsync("ann", contact.Id, "Router replaced in May", Ct);

        Assert.Equal(note.Id, repeated.Id);
        Assert.Equal((TimelineEntryKind.Note, "Customer is on the fibre plan", sms.ConversationId, "ann", contact.Id, "internal"),
            (note.Kind, note.Text, note.ConversationId, note.AgentId, note.ContactId, note.Status));
        var notes = (await _f.Conversations.TimelineAsync(sms.CustomerId, ct: Ct)).Where(e => e.Kind == TimelineEntryKind.Note).ToList();
        Assert.Equal(2, notes.Count);
        Assert.Equal(outboundBefore, _f.Sent.Count(s => s.Queue == QueueNames.OutboundMessages));
    }

    [Fact]
    public async Task A_note_needs_text_within_the_limit_and_the_contact_still_held()
    {
        await _f.AgentAsync("ann");
        var (contact, _) = await _f.TextAcceptedByAsync("ann");

        await Assert.ThrowsAsync<ArgumentException>(() => _f.Workspace.AddNoteAsync("ann", contact.Id, "   ", Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => _f.Workspace.AddNoteAsync("ann", contact.Id, new string('x', Core.Workspace.AgentWorkspace.MaxNoteLength + 1), Ct));
        await Assert.ThrowsAsync<UnknownContactException>(() => _f.Workspace.AddNoteAsync("ann", "nope", "hello", Ct));
        await _f.Workspace.CompleteAsync("ann", contact.Id, new WrapUpDetails("resolved", null), Ct);
        var stale = await Assert.ThrowsAsync<StaleActionException>(() => _f.Workspace.AddNoteAsync("ann", contact.Id, "one more thing", Ct));
        Assert.Contains("is no longer ann's: it is completed", stale.Message, StringComparison.Ordinal);
    }
}
