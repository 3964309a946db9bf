using System.Diagnostics;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using ContactCenter.Core.Teams;

namespace ContactCenter.Azure.Teams;

public sealed class GraphActivityFeedClientOptions : ClientOptions
{
    public const string DefaultBaseUri = Graph.GraphPipeline.DefaultBaseUri;

    public GraphActivityFeedClientOptions()
    {
        // An offer lasts seconds: a couple of quick retries, then give up (the workspace push already told the agent).
        Retry.MaxRetries = 2;
        Retry.Mode = RetryMode.Exponential;
        Retry.Delay = TimeSpan.FromMilliseconds(300);
        Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
    }
}

/// <summary>
/// Teams activity-feed notifications through Microsoft Graph:
/// <c>POST {base}/users/{userId}/teamwork/sendActivityNotification</c> with an Entra ID token for
/// https://graph.microsoft.com/.default (application permission TeamsActivity.Send, or TeamsActivity.Send.User by
/// resource-specific consent). Graph answers 204. Written by hand on Azure.Core's pipeline: the Graph SDK is not served
/// here and one POST does not need it.
/// </summary>
public sealed class GraphActivityFeedClient : ITeamsActivityFeed
{
    public const string Scope = Graph.GraphPipeline.Scope;
    private static readonly ActivitySource Activities = new("ContactCenter.Teams");

    private readonly HttpPipeline _pipeline;
    private readonly Uri _baseUri;
    private readonly string? _teamsAppId;

    /// <param name="baseUri">https://graph.microsoft.com/v1.0/ in Azure; tests point it at a fake Graph on a loopback address.</param>
    /// <param name="teamsAppId">Sent as <c>teamsAppId</c> so Graph picks this app when several share the Entra app id.</param>
    public GraphActivityFeedClient(Uri baseUri, TokenCredential credential, string? teamsAppId, GraphActivityFeedClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(baseUri);
        ArgumentNullException.ThrowIfNull(credential);
        _baseUri = Graph.GraphPipeline.NormalizeBaseUri(baseUri);
        _teamsAppId = string.IsNullOrWhiteSpace(teamsAppId) ? null : teamsAppId.Trim();
        _pipeline = Graph.GraphPipeline.Build(_baseUri, credential, options ?? new GraphActivityFeedClientOptions());
    }

    public async Task SendAsync(TeamsActivityNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        using var activity = Activities.StartActivity("GraphActivityFeed.Send", ActivityKind.Client);
        activity?.SetTag("teams.activity_type", notification.ActivityType);
        using var request = _pipeline.CreateRequest();
        request.Method = RequestMethod.Post;
        request.Uri.Reset(_baseUri);
        request.Uri.AppendPath("users/", escape: false);
        request.Uri.AppendPath(notification.TeamsUserId, escape: true);
        request.Uri.AppendPath("/teamwork/sendActivityNotification", escape: false);
        request.Headers.SetValue("Content-Type", "application/json");
        request.Content = RequestContent.Create(Body(notification, _teamsAppId));
        using var response = await _pipeline.SendRequestAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Status is not (200 or 202 or 204))
        {
            activity?.SetStatus(ActivityStatusCode.Error, response.Status.ToString(System.Globalization.CultureInfo.InvariantCulture));
            throw new RequestFailedException(response);
        }
    }

    /// <summary>
    /// The request body: a text topic whose <c>webUrl</c> is the tab's deep link (no installation id to look up),
    /// the declared activity type, the preview and the template parameters.
    /// </summary>
    public static byte[] Body(TeamsActivityNotification notification, string? teamsAppId)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("topic");
            json.WriteString("source", "text");
            json.WriteString("value", notification.TopicText);
            json.WriteString("webUrl", notification.WebUrl);
            json.WriteEndObject();
            json.WriteString("activityType", notification.ActivityType);
            json.WriteStartObject("previewText");
            json.WriteString("content", notification.PreviewText.Length > 150 ? notification.PreviewText[..150] : notification.PreviewText);
            json.WriteEndObject();
            if (teamsAppId is not null)
            {
                json.WriteString("teamsAppId", teamsAppId);
            }
            json.WriteStartArray("templateParameters");
            foreach (var (name, value) in notification.TemplateParameters)
            {
                json.WriteStartObject();
                json.WriteString("name", name);
                json.WriteString("value", value);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
