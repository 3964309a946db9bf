using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using ContactCenter.Functions.Local.Messaging;

namespace ContactCenter.Integration.Tests.Infrastructure;

/// <summary>Stands in for the app's inbound-email webhook: records each JSON body and answers <see cref="Status"/>.</summary>
internal sealed class InboundEmailCatcher : IStartupFilter
{
    private readonly List<JsonNode> _posts = [];

    public int Status { get; set; } = 202;

    public IReadOnlyList<JsonNode> Posts
    {
        get
        {
            lock (_posts)
            {
                return [.. _posts];
            }
        }
    }

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, inner) =>
        {
            if (context.Request.Path != MessagingSimulatorEndpoints.InboundEmailPath)
            {
                await inner(context);
                return;
            }
            var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            lock (_posts)
            {
                _posts.Add(body!);
            }
            context.Response.StatusCode = Status;
        });
        next(app);
    };
}
