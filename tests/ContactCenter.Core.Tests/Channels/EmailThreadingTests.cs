using ContactCenter.Core.Channels;
using ContactCenter.Core.State;

namespace ContactCenter.Core.Tests.Channels;

public sealed class EmailThreadingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static InboundEmail Email(string subject = "Where is my parcel?", string? inReplyTo = null, params string[] references) =>
        new("<customer-1@example.org>", "cara@example.org", ["support@contoso.com"], subject, DateTimeOffset.UnixEpoch)
        {
            InReplyTo = inReplyTo,
            References = references,
        };

    private static async Task<IEmailThreadIndex> IndexAsync(params (string MessageId, string Conversation)[] known)
    {
        var index = new StateStoreEmailThreadIndex(new InMemoryStateStore());
        foreach (var (id, conversation) in known)
        {
            await index.RememberAsync(id, conversation, Ct);
        }
        return index;
    }

    [Fact]
    public async Task A_reply_is_found_by_in_reply_to_before_anything_else()
    {
        var index = await IndexAsync(("<ours-2@contoso.com>", "conv-2"), ("<ours-1@contoso.com>", "conv-1"));
        await EmailThreading.RememberAsync(index, "conv-3", null, "Hello [#CASE-3]", Ct);

        var match = await EmailThreading.FindConversationAsync(Email("Re: Hello [#CASE-3]", " <ours-2@contoso.com> ", "<ours-1@contoso.com>"), index, Ct);

        Assert.Equal(new EmailThreadMatch("conv-2", EmailThreadMatchKind.InReplyTo, "<ours-2@contoso.com>"), match);
    }

    [Fact]
    public async Task References_are_tried_newest_first_when_in_reply_to_is_unknown()
    {
        var index = await IndexAsync(("<old@contoso.com>", "conv-old"), ("<newer@contoso.com>", "conv-new"));

        var match = await EmailThreading.FindConversationAsync(
            Email("Re: parcel", "<someone-elses@example.org>", "<old@contoso.com>", "<newer@contoso.com>", "<unknown@example.org>"), index, Ct);

        Assert.Equal(new EmailThreadMatch("conv-new", EmailThreadMatchKind.References, "<newer@contoso.com>"), match);
    }

    [Fact]
    public async Task A_subject_token_we_issued_threads_an_email_without_headers_but_a_made_up_one_does_not()
    {
        var index = await IndexAsync();
        await EmailThreading.RememberAsync(index, "conv-123", "<ours@contoso.com>", EmailThreading.NewSubject("Your parcel", "CASE-123"), Ct);

        var match = await EmailThreading.FindConversationAsync(Email("RE: Your parcel [#CASE-123]"), index, Ct);
        var forged = await EmailThreading.FindConversationAsync(Email("Re: Your parcel [#CASE-999]"), index, Ct);

        Assert.Equal(new EmailThreadMatch("conv-123", EmailThreadMatchKind.SubjectToken, "CASE-123"), match);
        Assert.Null(forged);
    }

    [Fact]
    public async Task An_email_matching_nothing_starts_a_new_conversation()
    {
        var index = await IndexAsync(("<ours@contoso.com>", "conv-1"));

        Assert.Null(await EmailThreading.FindConversationAsync(Email("New question", "<x@example.org>", "<y@example.org>"), index, Ct));
    }

    [Theory]
    [InlineData("Where is my parcel?", "Re: Where is my parcel? [#CASE-1]")]
    [InlineData("Re: Where is my parcel?", "Re: Where is my parcel? [#CASE-1]")]
    [InlineData("RE: Re: AW: Sv:  Where is my parcel? [#CASE-1]", "Re: Where is my parcel? [#CASE-1]")]
    [InlineData("Re[2]: Where is [#CASE-1] my parcel?", "Re: Where is my parcel? [#CASE-1]")]
    [InlineData("", "Re: [#CASE-1]")]
    [InlineData("Reply needed", "Re: Reply needed [#CASE-1]")]
    public void Reply_subjects_never_stack_prefixes_or_tokens(string original, string expected) =>
        Assert.Equal(expected, EmailThreading.ReplySubject(original, "CASE-1"));

    [Fact]
    public void Our_message_ids_are_unique_angle_addresses_on_our_domain()
    {
        var threading = new EmailThreading("Contoso.com");
        var first = threading.NewMessageId();

        Assert.Matches("^<[0-9a-f]{32}@contoso\\.com>$", first);
        Assert.NotEqual(first, threading.NewMessageId());
        Assert.Throws<ArgumentException>(() => new EmailThreading("not a domain"));
    }

    [Fact]
    public void Message_id_lists_are_read_in_order_with_or_without_brackets()
    {
        Assert.Equal(["<a@x>", "<b@y>"], EmailThreading.ParseMessageIdList("<a@x>\r\n <b@y>"));
        Assert.Equal(["<a@x>", "<b@y>"], EmailThreading.ParseMessageIdList("a@x b@y"));
        Assert.Empty(EmailThreading.ParseMessageIdList("  "));
        Assert.Equal("<a@x>", EmailThreading.NormalizeMessageId(" a@x "));
    }

    [Fact]
    public async Task Message_ids_that_are_not_valid_keys_are_remembered_and_found()
    {
        var index = await IndexAsync(("<weird/id#1?@contoso.com>", "conv-weird"));

        Assert.Equal("conv-weird", await index.FindConversationAsync(["<nope@x>", "weird/id#1?@contoso.com"], Ct));
    }
}
