using ContactCenter.Functions.Hosting;

namespace ContactCenter.Functions.AgentWidget;

/// <summary>Maps the agent console: /api/agent/** (the AgentWidget function) and, for local mode's short URL, /agent/**.</summary>
public static class AgentWidgetEndpoints
{
    public const string LocalPath = "/agent";

    public static IEndpointRouteBuilder MapAgentWidget(this IEndpointRouteBuilder app)
    {
        app.MapHttpFunction(AgentWidgetFunctions.Files, ServeAsync);
        app.MapGet(LocalPath + "/{**path}", async context => await (await ServeAsync(context)).ExecuteAsync(context));
        return app;
    }

    private static Task<IResult> ServeAsync(HttpContext context)
    {
        var path = context.Request.RouteValues["path"] as string;
        // The console links its modules relatively: "/agent" must become "/agent/" before the browser resolves them.
        if (string.IsNullOrEmpty(path) && !context.Request.Path.Value!.EndsWith('/'))
        {
            return Task.FromResult<IResult>(TypedResults.Redirect($"{context.Request.PathBase}{context.Request.Path}/{context.Request.QueryString}"));
        }
        if (AgentWidgetFiles.Open(path) is not { } file)
        {
            return Task.FromResult<IResult>(FunctionEndpoints.Problem(StatusCodes.Status404NotFound, "Not found",
                $"The agent console has no file '{path}'."));
        }
        // Revalidate every time: the files are small and an agent must never keep a stale console after a deployment.
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return Task.FromResult<IResult>(TypedResults.Stream(file.Content, file.ContentType));
    }
}
