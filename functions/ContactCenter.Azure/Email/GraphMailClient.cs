using System.Diagnostics;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ContactCenter.Azure.Email;

public sealed class GraphMailClientOptions : ClientOptions
{
    public const string DefaultBaseUri = Graph.GraphPipeline.DefaultBaseUri;

    public GraphMailClientOptions()
    {
        Retry.MaxRetries = 3;
        Retry.Mode = RetryMode.Exponential;
        Retry.Delay = TimeSpan.FromMilliseconds(500);
        Retry.NetworkTimeout = TimeSpan.FromSeconds(60);
    }

    /// <summary>Largest message MIME read (Exchange's own limit is 150 MB; ours is what we are willing to buffer).</summary>
    public long MaxMessageBytes { get; set; } = 50L * 1024 * 1024;
}

/// <summary>
/// The one Microsoft Graph call inbound email needs: a mailbox message's MIME,
/// <c>GET {base}/users/{mailbox}/messages/{id}/$value</c>, with an Entra ID token for https://graph.microsoft.com/.default
/// (app permission Mail.Read, ideally limited to the shared mailbox by an application access policy). The MIME carries
/// everything — internetMessageId, In-Reply-To, References, bodies, attachments — so it is read by the same
/// <see cref="MimeEmailReader"/> as the inbound-parse webhook. Written by hand: the Graph SDK is not served here and
/// one GET does not need it.
/// </summary>
public class GraphMailClient
{
    public const string Scope = Graph.GraphPipeline.Scope;
    private static readonly ActivitySource Activities = new("ContactCenter.Communication");

    private readonly HttpPipeline _pipeline;
    private readonly Uri _baseUri;
    private readonly long _maxBytes;

    /// <param name="baseUri">https://graph.microsoft.com/v1.0/ in Azure; tests point it at a fake Graph on a loopback address.</param>
    public GraphMailClient(Uri baseUri, TokenCredential credential, GraphMailClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(baseUri);
        ArgumentNullException.ThrowIfNull(credential);
        options ??= new GraphMailClientOptions();
        _baseUri = Graph.GraphPipeline.NormalizeBaseUri(baseUri);
        _maxBytes = options.MaxMessageBytes;
        _pipeline = Graph.GraphPipeline.Build(_baseUri, credential, options);
    }

    /// <summary>For mocking.</summary>
    protected GraphMailClient()
    {
        _pipeline = null!;
        _baseUri = null!;
    }

    /// <summary>
    /// The message's raw MIME, or null when it is gone (404: deleted or moved before we fetched it). Throws
    /// <see cref="GraphMessageTooLargeException"/> once the MIME passes <see cref="GraphMailClientOptions.MaxMessageBytes"/>
    /// (checked on Content-Length first, then while streaming: never buffered whole) — then read
    /// <see cref="GetMessageWithoutAttachmentsAsync"/> instead.
    /// </summary>
    public virtual async Task<byte[]?> GetMimeAsync(string mailbox, string messageId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mailbox);
        ArgumentException.ThrowIfNullOrWhiteSpace(messageId);
        using var activity = Activities.StartActivity("GraphMailClient.GetMime", ActivityKind.Client);
        using var message = _pipeline.CreateMessage();
        message.BufferResponse = false;
        BuildMessageUri(message.Request, mailbox, messageId, "/$value");
        await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var response = message.Response;
        if (response.Status == 404)
        {
            return null;
        }
        EnsureSuccess(response, activity);
        if (response.Headers.ContentLength is { } announced && announced > _maxBytes)
        {
            throw new GraphMessageTooLargeException(messageId, announced, _maxBytes);
        }
        using var content = new MemoryStream();
        if (response.ContentStream is { } stream)
        {
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (content.Length + read > _maxBytes)
                {
                    throw new GraphMessageTooLargeException(messageId, null, _maxBytes);
                }
                content.Write(chunk, 0, read);
            }
        }
        return content.ToArray();
    }

    /// <summary>
    /// A message too large to fetch as MIME, read as Graph JSON instead — headers and body, and its attachments by name and
    /// size only (<c>GET .../messages/{id}?$select=...</c> and <c>GET .../messages/{id}/attachments?$select=name,contentType,size</c>),
    /// so the text is never lost. Null when the message is gone.
    /// </summary>
    public virtual async Task<ParsedEmail?> GetMessageWithoutAttachmentsAsync(string mailbox, string messageId, long attachmentLimit, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mailbox);
        ArgumentException.ThrowIfNullOrWhiteSpace(messageId);
        using var activity = Activities.StartActivity("GraphMailClient.GetMessageWithoutAttachments", ActivityKind.Client);
        var message = await GetJsonAsync(mailbox, messageId, "?$select=internetMessageId,subject,from,toRecipients,body,receivedDateTime,internetMessageHeaders", activity, cancellationToken).ConfigureAwait(false);
        if (message is null)
        {
            return null;
        }
        var attachments = await GetJsonAsync(mailbox, messageId, "/attachments?$select=name,contentType,size", activity, cancellationToken).ConfigureAwait(false);
        return GraphMessageJson.Read(message.Value.Span, attachments is { } list ? list.Span : "{}"u8, _maxBytes, attachmentLimit);
    }

    private async Task<ReadOnlyMemory<byte>?> GetJsonAsync(string mailbox, string messageId, string suffix, Activity? activity, CancellationToken cancellationToken)
    {
        using var request = _pipeline.CreateRequest();
        BuildMessageUri(request, mailbox, messageId, suffix);
        request.Headers.SetValue("Accept", "application/json");
        using var response = await _pipeline.SendRequestAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Status == 404)
        {
            return null;
        }
        EnsureSuccess(response, activity);
        return response.Content?.ToMemory() ?? ReadOnlyMemory<byte>.Empty;
    }

    private void BuildMessageUri(Request request, string mailbox, string messageId, string suffix)
    {
        request.Method = RequestMethod.Get;
        request.Uri.Reset(_baseUri);
        request.Uri.AppendPath("users/", escape: false);
        request.Uri.AppendPath(mailbox, escape: true);
        request.Uri.AppendPath("/messages/", escape: false);
        request.Uri.AppendPath(messageId, escape: true);
        var query = suffix.IndexOf('?', StringComparison.Ordinal);
        request.Uri.AppendPath(query < 0 ? suffix : suffix[..query], escape: false);
        if (query >= 0)
        {
            request.Uri.Query = suffix[query..];
        }
    }

    private static void EnsureSuccess(Response response, Activity? activity)
    {
        if (response.Status != 200)
        {
            activity?.SetStatus(ActivityStatusCode.Error, response.Status.ToString(System.Globalization.CultureInfo.InvariantCulture));
            throw new RequestFailedException(response);
        }
    }
}

/// <summary>A Graph message's MIME is over the size we fetch; <see cref="Length"/> when Graph announced it.</summary>
public sealed class GraphMessageTooLargeException(string messageId, long? length, long limit)
    : Exception($"Message {messageId} is {(length is { } l ? $"{l} bytes" : "larger than that")}, more than the {limit} bytes fetched as MIME.")
{
    public long Limit { get; } = limit;
}
