using System.Diagnostics;
using System.Globalization;
using System.Net.Mail;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using ContactCenter.Core.Channels;

namespace ContactCenter.Azure.Communication;

/// <summary>
/// Azure Communication Services Email over its REST API (api-version 2023-03-31), on Azure.Core's HttpPipeline with the
/// same authentication as <see cref="CallAutomationClient"/> (access-key HMAC or Entra ID). Written by hand because
/// Azure.Communication.Email is not served here.
/// </summary>
/// <remarks>
/// Sending is a long-running operation: POST /emails:send answers 202 with the operation's id and status (and an
/// Operation-Location to poll), GET /emails/operations/{id} tells where it stands; per-recipient delivery arrives later
/// as the EmailDeliveryReportReceived event (<see cref="EmailDeliveryReportReader"/>).
/// Idempotency: the 2023-03-31 specification defines no Repeatability-* headers for email; its equivalent is the
/// Operation-Id header — a UUID we choose once per send and keep on every retry, so a retried send after a lost 202 is
/// the same operation, not a second email.
/// Threading headers (Message-ID, In-Reply-To, References) go in the message's custom <c>headers</c>; ACS keeps a valid
/// "&lt;id@domain&gt;" Message-ID and replaces an invalid one with its own, so replies still thread by subject token.
/// </remarks>
public class EmailClient : IEmailProvider
{
    private static readonly ActivitySource Activities = new(CallAutomationClient.ActivitySourceName);
    private static readonly EmailJsonContext Json = EmailJsonContext.Default;

    private readonly HttpPipeline _pipeline;
    private readonly Uri _endpoint;
    private readonly EmailClientOptions _options;

    /// <summary>Entra ID (managed identity): the resource endpoint, e.g. https://contoso.communication.azure.com. HTTPS only.</summary>
    public EmailClient(Uri endpoint, TokenCredential credential, EmailClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(credential);
        _options = options ?? new EmailClientOptions();
        _endpoint = CommunicationPipeline.Root(endpoint);
        _pipeline = CommunicationPipeline.Build(_options, credential);
    }

    /// <summary>A connection string from the resource's Keys blade: endpoint=https://contoso.communication.azure.com/;accesskey=BASE64.</summary>
    public EmailClient(string connectionString, EmailClientOptions? options = null, TimeProvider? timeProvider = null)
    {
        var (endpoint, key) = CommunicationPipeline.ParseConnectionString(connectionString);
        _options = options ?? new EmailClientOptions();
        _endpoint = CommunicationPipeline.Root(endpoint);
        _pipeline = CommunicationPipeline.Build(_options, key, timeProvider ?? TimeProvider.System);
    }

    /// <summary>For mocking.</summary>
    protected EmailClient()
    {
        _pipeline = null!;
        _endpoint = null!;
        _options = null!;
    }

    /// <summary>
    /// Starts the send. A refusal (400 invalid sender or recipient, 413 too large, 401/403 not allowed ...) is a
    /// <see cref="EmailSendState.Failed"/> result naming ACS's error; 408, 429 and 5xx are retried and then thrown.
    /// </summary>
    public virtual async Task<EmailSendResult> SendAsync(OutgoingEmail email, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(email);
        var body = Message(email);
        var operationId = Guid.NewGuid().ToString();
        using var activity = Start("Send");
        activity?.SetTag("contactcenter.email.operation_id", operationId);
        using var request = _pipeline.CreateRequest();
        request.Method = RequestMethod.Post;
        request.Uri.Reset(_endpoint);
        request.Uri.AppendPath("emails:send", escape: false);
        request.Uri.AppendQuery("api-version", _options.Version, escapeValue: true);
        request.Headers.Add(HttpHeader.Names.Accept, "application/json");
        request.Headers.Add(HttpHeader.Names.ContentType, "application/json");
        // Set once here, not per retry: a retried send is the same operation.
        request.Headers.Add("Operation-Id", operationId);
        request.Content = RequestContent.Create(JsonSerializer.SerializeToUtf8Bytes(body, Json.EmailMessageModel));

        using var response = await _pipeline.SendRequestAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Status == 202)
        {
            var result = Read(response);
            return new EmailSendResult(result?.Id is { Length: > 0 } id ? id : operationId, State(result?.Status), ErrorText(result?.Error));
        }
        var failure = new RequestFailedException(response);
        activity?.SetStatus(ActivityStatusCode.Error, failure.ErrorCode ?? response.Status.ToString(CultureInfo.InvariantCulture));
        if (IsTransient(response.Status))
        {
            throw failure;
        }
        return new EmailSendResult(operationId, EmailSendState.Failed, $"{response.Status} {failure.ErrorCode ?? response.ReasonPhrase}: {failure.Message.Split('\n')[0]}");
    }

    /// <summary>The operation's state now; an unknown operation (404) and other failures throw <see cref="RequestFailedException"/>.</summary>
    public virtual async Task<EmailSendResult> GetStatusAsync(string operationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(operationId);
        using var activity = Start("GetSendResult");
        activity?.SetTag("contactcenter.email.operation_id", operationId);
        using var request = _pipeline.CreateRequest();
        request.Method = RequestMethod.Get;
        request.Uri.Reset(_endpoint);
        request.Uri.AppendPath("emails/operations/", escape: false);
        request.Uri.AppendPath(operationId, escape: true);
        request.Uri.AppendQuery("api-version", _options.Version, escapeValue: true);
        request.Headers.Add(HttpHeader.Names.Accept, "application/json");
        using var response = await _pipeline.SendRequestAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Status != 200)
        {
            var failure = new RequestFailedException(response);
            activity?.SetStatus(ActivityStatusCode.Error, failure.ErrorCode ?? response.Status.ToString(CultureInfo.InvariantCulture));
            throw failure;
        }
        var result = Read(response) ?? throw new RequestFailedException(response.Status, "The operation status response had no body.");
        return new EmailSendResult(result.Id is { Length: > 0 } id ? id : operationId, State(result.Status), ErrorText(result.Error));
    }

    private EmailMessageModel Message(OutgoingEmail email)
    {
        if (email.To.Count == 0)
        {
            throw new ArgumentException("An email needs at least one recipient.", nameof(email));
        }
        if (email.PlainText is null && email.Html is null)
        {
            throw new ArgumentException("An email needs a plain-text or HTML body.", nameof(email));
        }
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (email.MessageId is { Length: > 0 } messageId)
        {
            headers["Message-ID"] = messageId;
        }
        if (email.InReplyTo is { Length: > 0 } inReplyTo)
        {
            headers["In-Reply-To"] = inReplyTo;
        }
        if (email.References.Count > 0)
        {
            headers["References"] = string.Join(' ', email.References);
        }
        return new EmailMessageModel
        {
            Headers = headers.Count == 0 ? null : headers,
            SenderAddress = Address(email.From).Address,
            Content = new EmailContentModel { Subject = email.Subject, PlainText = email.PlainText, Html = email.Html },
            Recipients = new EmailRecipientsModel { To = email.To.Select(Address).ToList() },
            Attachments = email.Attachments.Count == 0 ? null : email.Attachments.Select(a => new EmailAttachmentModel
            {
                Name = a.Name,
                ContentType = a.ContentType,
                ContentInBase64 = Convert.ToBase64String(a.Content.Span),
            }).ToList(),
            ReplyTo = _options.ReplyTo.Count == 0 ? null : _options.ReplyTo.Select(Address).ToList(),
            UserEngagementTrackingDisabled = _options.DisableEngagementTracking ? true : null,
        };
    }

    /// <summary>"Ann &lt;ann@contoso.com&gt;" or "ann@contoso.com" as ACS's {address, displayName}.</summary>
    internal static EmailAddressModel Address(string text)
    {
        if (!MailAddress.TryCreate(text?.Trim(), out var address))
        {
            throw new ArgumentException($"'{text}' is not an email address.", nameof(text));
        }
        return new EmailAddressModel { Address = address.Address, DisplayName = string.IsNullOrEmpty(address.DisplayName) ? null : address.DisplayName };
    }

    internal static EmailSendState State(string? status) => status switch
    {
        "NotStarted" => EmailSendState.Queued,
        "Running" => EmailSendState.Running,
        "Succeeded" => EmailSendState.Succeeded,
        "Failed" => EmailSendState.Failed,
        "Canceled" => EmailSendState.Canceled,
        _ => throw new RequestFailedException($"ACS answered an unknown email operation status '{status}'."),
    };

    private static string? ErrorText(EmailErrorModel? error) =>
        error is null ? null : string.Join(": ", new[] { error.Code, error.Message }.Where(s => !string.IsNullOrEmpty(s)));

    private static bool IsTransient(int status) => status is 408 or 429 or >= 500;

    private static EmailSendResultModel? Read(Response response)
    {
        var content = response.Content;
        if (content is null || content.ToMemory().IsEmpty)
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize(content.ToMemory().Span, Json.EmailSendResultModel);
        }
        catch (JsonException ex)
        {
            throw new RequestFailedException(response.Status, $"ACS answered a body that is not an email operation: {ex.Message}", ex);
        }
    }

    private static Activity? Start(string operation)
    {
        var activity = Activities.StartActivity("EmailClient." + operation, ActivityKind.Client);
        activity?.SetTag("az.namespace", "Microsoft.Communication");
        return activity;
    }
}
