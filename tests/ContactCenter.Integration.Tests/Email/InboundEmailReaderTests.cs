using System.Text;
using ContactCenter.Azure.Email;

namespace ContactCenter.Integration.Tests.Email;

/// <summary>The inbound shapes read into one <see cref="ParsedEmail"/>: raw MIME, the JSON shape and SendGrid-style forms.</summary>
public sealed class InboundEmailReaderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Folded headers, RFC 2047 words (UTF-8 base64 and Latin-1 Q), References over two lines, multipart/mixed holding
    // multipart/alternative (quoted-printable text, base64 HTML) and a base64 PDF attachment.
    internal const string ReplyMime =
        "From: =?UTF-8?B?Q8OkcmEgTcO8bGxlcg==?= <cara@example.org>\r\n" +
        "To: Contoso Support <support@contoso.com>\r\n" +
        "Subject: =?ISO-8859-1?Q?Re:_Lieferung_f=FCr?=\r\n" +
        "  =?UTF-8?Q?_M=C3=BCnchen?= [#CASE-42]\r\n" +
        "Date: Tue, 3 Nov 2026 09:15:20 +0100\r\n" +
        "Message-ID: <reply-1@example.org>\r\n" +
        "In-Reply-To: <ours-2@contoso.com>\r\n" +
        "References: <ours-1@contoso.com>\r\n" +
        "\t<ours-2@contoso.com>\r\n" +
        "MIME-Version: 1.0\r\n" +
        "Content-Type: multipart/mixed; boundary=\"outer\"\r\n" +
        "\r\n" +
        "--outer\r\n" +
        "Content-Type: multipart/alternative; boundary=\"inner\"\r\n" +
        "\r\n" +
        "--inner\r\n" +
        "Content-Type: text/plain; charset=iso-8859-1\r\n" +
        "Content-Transfer-Encoding: quoted-printable\r\n" +
        "\r\n" +
        "Gr=FC=DFe aus M=FCnchen, das ist eine sehr lange Zeile die weich umbrochen=\r\n" +
        " wird.\r\n" +
        "--inner\r\n" +
        "Content-Type: text/html; charset=utf-8\r\n" +
        "Content-Transfer-Encoding: base64\r\n" +
        "\r\n" +
        "PHA+R3LDvMOfZTwvcD4=\r\n" +
        "--inner--\r\n" +
        "--outer\r\n" +
        "Content-Type: application/pdf; name=\"invoice.pdf\"\r\n" +
        "Content-Disposition: attachment; filename=\"invoice.pdf\"\r\n" +
        "Content-Transfer-Encoding: base64\r\n" +
        "\r\n" +
        "JVBERi0xLjQKJcOkw7w=\r\n" +
        "--outer--\r\n";

    [Fact]
    public async Task Raw_mime_is_read_with_folded_headers_encoded_words_alternatives_and_an_attachment()
    {
        var email = await MimeEmailReader.ReadAsync(Encoding.ASCII.GetBytes(ReplyMime), Ct);

        Assert.Equal("<reply-1@example.org>", email.MessageId);
        Assert.Equal("cara@example.org", email.From);
        Assert.Equal("Cära Müller", email.FromName);
        Assert.Equal(["support@contoso.com"], email.To);
        Assert.Equal("Re: Lieferung für München [#CASE-42]", email.Subject);
        Assert.Equal(new DateTimeOffset(2026, 11, 3, 9, 15, 20, TimeSpan.FromHours(1)), email.Date);
        Assert.Equal("<ours-2@contoso.com>", email.InReplyTo);
        Assert.Equal(["<ours-1@contoso.com>", "<ours-2@contoso.com>"], email.References);
        Assert.Equal("Grüße aus München, das ist eine sehr lange Zeile die weich umbrochen wird.", email.PlainText!.TrimEnd());
        Assert.Equal("<p>Grüße</p>", email.Html);
        var attachment = Assert.Single(email.Attachments);
        Assert.Equal(("invoice.pdf", "application/pdf"), (attachment.Name, attachment.ContentType));
        Assert.Equal(Convert.FromBase64String("JVBERi0xLjQKJcOkw7w="), attachment.Content.ToArray());
    }

    [Fact]
    public async Task A_message_without_message_id_gets_a_stable_one_so_a_repost_is_the_same_email()
    {
        const string mime = "From: cara@example.org\r\nTo: support@contoso.com\r\nSubject: hi\r\n\r\nHello\r\n";

        var first = await MimeEmailReader.ReadAsync(Encoding.ASCII.GetBytes(mime), Ct);
        var second = await MimeEmailReader.ReadAsync(Encoding.ASCII.GetBytes(mime), Ct);

        Assert.EndsWith("@inbound.invalid>", first.MessageId);
        Assert.Equal(first.MessageId, second.MessageId);
    }

    [Fact]
    public async Task A_message_without_from_is_refused()
    {
        var ex = await Assert.ThrowsAsync<InvalidInboundEmailException>(() =>
            MimeEmailReader.ReadAsync(Encoding.ASCII.GetBytes("To: support@contoso.com\r\nSubject: hi\r\n\r\nHello\r\n"), Ct));
        Assert.Contains("From", ex.Message);
    }

    [Fact]
    public void The_json_shape_is_read_with_threading_fields_and_attachments()
    {
        var json = """
            {"from":"Cara <cara@example.org>","to":["support@contoso.com"],"subject":"Re: parcel [#CASE-1]","text":"Thanks",
             "html":"<p>Thanks</p>","messageId":"reply-2@example.org","inReplyTo":"<ours@contoso.com>",
             "references":["<a@contoso.com>","<ours@contoso.com>"],
             "attachments":[{"name":"photo.jpg","contentType":"image/jpeg","contentBase64":"/9j/4AAQ"}]}
            """;

        var email = InboundParseReader.ReadJson(Encoding.UTF8.GetBytes(json));

        Assert.Equal(("<reply-2@example.org>", "cara@example.org", "Cara"), (email.MessageId, email.From, email.FromName));
        Assert.Equal("<ours@contoso.com>", email.InReplyTo);
        Assert.Equal(["<a@contoso.com>", "<ours@contoso.com>"], email.References);
        var attachment = Assert.Single(email.Attachments);
        Assert.Equal(("photo.jpg", "image/jpeg", 6), (attachment.Name, attachment.ContentType, attachment.Content.Length));
    }

    [Theory]
    [InlineData("[]", "object")]
    [InlineData("{\"to\":[\"a@b.c\"]}", "'from'")]
    [InlineData("{\"from\":\"not an address\"}", "'from'")]
    [InlineData("{\"from\":\"a@b.c\",\"attachments\":[{\"name\":\"x\",\"contentBase64\":\"***\"}]}", "base64")]
    [InlineData("{\"from\":\"a@b.c\",\"subject\":5}", "'subject'")]
    [InlineData("{nope", "JSON")]
    public void Malformed_json_is_refused_saying_why(string json, string reason)
    {
        var ex = Assert.Throws<InvalidInboundEmailException>(() => InboundParseReader.ReadJson(Encoding.UTF8.GetBytes(json)));
        Assert.Contains(reason, ex.Message);
    }

    [Fact]
    public async Task A_sendgrid_style_form_takes_threading_from_its_headers_field_and_names_files_from_attachment_info()
    {
        var fields = new Dictionary<string, string>
        {
            ["from"] = "Cara Müller <cara@example.org>",
            ["to"] = "support@contoso.com, billing@contoso.com",
            ["subject"] = "Re: parcel",
            ["text"] = "Thanks!",
            ["headers"] = "Message-ID: <reply-3@example.org>\nIn-Reply-To: <ours-3@contoso.com>\nReferences: <ours-1@contoso.com>\n <ours-3@contoso.com>\nDate: Tue, 3 Nov 2026 09:15:20 +0000\n",
            ["attachments"] = "1",
            ["attachment-info"] = """{"attachment1":{"filename":"receipt.png","name":"receipt.png","type":"image/png"}}""",
        };
        var files = new[] { new InboundFormFile("attachment1", "upload.bin", "application/octet-stream", new byte[] { 0x89, 0x50, 0x4E, 0x47 }) };

        var email = await InboundParseReader.ReadFormAsync(fields, files, Ct);

        Assert.Equal(("<reply-3@example.org>", "cara@example.org", "Cara Müller"), (email.MessageId, email.From, email.FromName));
        Assert.Equal(["support@contoso.com", "billing@contoso.com"], email.To);
        Assert.Equal("<ours-3@contoso.com>", email.InReplyTo);
        Assert.Equal(["<ours-1@contoso.com>", "<ours-3@contoso.com>"], email.References);
        Assert.Equal(new DateTimeOffset(2026, 11, 3, 9, 15, 20, TimeSpan.Zero), email.Date);
        var attachment = Assert.Single(email.Attachments);
        Assert.Equal(("receipt.png", "image/png", 4), (attachment.Name, attachment.ContentType, attachment.Content.Length));
    }

    [Fact]
    public async Task A_form_with_the_raw_message_reads_the_message_itself()
    {
        var email = await InboundParseReader.ReadFormAsync(new Dictionary<string, string> { ["email"] = ReplyMime, ["from"] = "ignored@example.org" }, [], Ct);

        Assert.Equal(("<reply-1@example.org>", "cara@example.org"), (email.MessageId, email.From));
        Assert.Single(email.Attachments);
    }
}
