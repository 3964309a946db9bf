using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using ContactCenter.Core.Channels;

namespace ContactCenter.Azure.Communication;

/// <summary>
/// Azure Communication Services SMS over its REST API (<c>POST /sms</c>), on the same pipeline as
/// <see cref="CallAutomationClient"/>: access-key (HMAC) or Entra ID authentication, retries of transient failures
/// (408, 429, 5xx, network), ACS's error code on <see cref="RequestFailedException"/>. Written by hand because
/// Azure.Communication.Sms is not served here; the shapes follow the published specification
/// (<see cref="SmsClientOptions.ServiceVersion"/>).
/// </summary>
/// <remarks>
/// One recipient per request, with a repeatabilityRequestId and repeatabilityFirstSent set once per send and kept on
/// every retry, so a retry after a lost response is not a second text. ACS answers 202 with a result per recipient:
/// a refusal of the recipient (invalid or unreachable number, 4xx) is a result with Accepted false; a transient one
/// (429 or 5xx for that recipient) throws <see cref="RequestFailedException"/>, as the contract asks, so the caller
/// retries.
/// </remarks>
public class SmsClient : ISmsProvider
{
    private static readonly ActivitySource Activities = new(CallAutomationClient.ActivitySourceName);
    private static readonly SmsJsonContext Json = SmsJsonContext.Default;

    private readonly HttpPipeline _pipeline;
    private readonly Uri _endpoint;
    private readonly string _apiVersion;
    private readonly TimeProvider _timeProvider;

    /// <summary>Entra ID (managed identity): the resource endpoint, e.g. https://contoso.communication.azure.com. HTTPS only.</summary>
    public SmsClient(Uri endpoint, TokenCredential credential, SmsClientOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(credential);
        options ??= new SmsClientOptions();
        _endpoint = CommunicationPipeline.Root(endpoint);
        _apiVersion = options.Version;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _pipeline = CommunicationPipeline.Build(options, credential);
    }

    /// <summary>A connection string from the resource's Keys blade: endpoint=https://contoso.communication.azure.com/;accesskey=BASE64.</summary>
    public SmsClient(string connectionString, SmsClientOptions? options = null, TimeProvider? timeProvider = null)
    {
        var (endpoint, key) = CommunicationPipeline.ParseConnectionString(connectionString);
        options ??= new SmsClientOptions();
        _endpoint = endpoint;
        _apiVersion = options.Version;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _pipeline = CommunicationPipeline.Build(options, key, _timeProvider);
    }

    /// <summary>For mocking.</summary>
    protected SmsClient()
    {
        _pipeline = null!;
        _endpoint = null!;
        _apiVersion = null!;
        _timeProvider = TimeProvider.System;
    }

    public virtual async Task<SmsSendResult> SendAsync(OutgoingSms sms, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sms);
        ArgumentException.ThrowIfNullOrWhiteSpace(sms.From, nameof(sms));
        ArgumentException.ThrowIfNullOrWhiteSpace(sms.To, nameof(sms));
        ArgumentNullException.ThrowIfNull(sms.Text, nameof(sms));

        using var activity = Activities.StartActivity("SmsClient.Send", ActivityKind.Client);
        activity?.SetTag("az.namespace", "Microsoft.Communication");
        var body = new SendMessageRequestModel
        {
            From = sms.From,
            // Set once here, not per retry: every retry must present the same id and first-sent time.
            SmsRecipients =
            [
                new SmsRecipientModel
                {
                    To = sms.To,
                    RepeatabilityRequestId = Guid.NewGuid().ToString(),
                    RepeatabilityFirstSent = _timeProvider.GetUtcNow().ToString("R", CultureInfo.InvariantCulture),
                },
            ],
            Message = sms.Text,
            SmsSendOptions = new SmsSendOptionsModel { EnableDeliveryReport = sms.DeliveryReport, Tag = sms.Tag },
        };

        using var request = _pipeline.CreateRequest();
        request.Method = RequestMethod.Post;
        request.Uri.Reset(_endpoint);
        request.Uri.AppendPath("sms", escape: false);
        request.Uri.AppendQuery("api-version", _apiVersion, escapeValue: true);
        request.Headers.Add(HttpHeader.Names.Accept, "application/json");
        request.Headers.Add(HttpHeader.Names.ContentType, "application/json");
        request.Content = RequestContent.Create(JsonSerializer.SerializeToUtf8Bytes(body, Json.SendMessageRequestModel));
        try
        {
            using var response = await _pipeline.SendRequestAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.Status is not (200 or 202))
            {
                throw new RequestFailedException(response);
            }
            var result = Result(response, sms.To);
            activity?.SetTag("contactcenter.sms.accepted", result.Accepted);
            if (!result.Accepted)
            {
                activity?.SetStatus(ActivityStatusCode.Error, result.HttpStatusCode?.ToString(CultureInfo.InvariantCulture));
            }
            return result;
        }
        catch (RequestFailedException ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.ErrorCode ?? ex.Status.ToString(CultureInfo.InvariantCulture));
            throw;
        }
    }

    private static SmsSendResult Result(Response response, string to)
    {
        SmsSendResponseModel? parsed;
        try
        {
            var content = response.Content?.ToMemory() ?? ReadOnlyMemory<byte>.Empty;
            parsed = content.IsEmpty ? null : JsonSerializer.Deserialize(content.Span, Json.SmsSendResponseModel);
        }
        catch (JsonException ex)
        {
            throw new RequestFailedException(response.Status, $"The SMS send response is not the documented JSON: {ex.Message}", ex);
        }
        var items = parsed?.Value ?? [];
        // One recipient was sent; match it by number, falling back to the only item if ACS reformatted the number.
        var item = items.FirstOrDefault(i => string.Equals(i.To, to, StringComparison.Ordinal)) ?? (items.Count == 1 ? items[0] : null)
            ?? throw new RequestFailedException(response.Status, $"The SMS send response carried no result for {to}.");
        if (item.Successful)
        {
            return item.MessageId is { Length: > 0 } id
                ? new SmsSendResult(to, id, Accepted: true, item.HttpStatusCode)
                : throw new RequestFailedException(response.Status, $"The SMS send response accepted {to} without a messageId.");
        }
        if (item.HttpStatusCode is 408 or 429 or >= 500)
        {
            throw new RequestFailedException(item.HttpStatusCode, $"ACS could not take the text for {to} now ({item.HttpStatusCode}): {item.ErrorMessage}");
        }
        return new SmsSendResult(to, item.MessageId, Accepted: false, item.HttpStatusCode, item.ErrorMessage ?? $"Refused with status {item.HttpStatusCode}.");
    }
}
