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
        if (AgentWidgetFiles.Open(path) is not { } file)
        {
            return Task.FromResult<IResult>(FunctionEndpoints.Problem(StatusCodes.Status404NotFound, "Not found",
                $"The agent console has no file '{path}'."));
        }
        // Revalidate every time: the files are small and an agent must never keep a stale console after a deployment.
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        // The console links its files relatively, which needs "/agent/". "/agent" is served as it is, with a base URL,
        // rather than redirected: hosts before 2022-05 follow redirects when forwarding (HttpClientHandler.AllowAutoRedirect,
        // Azure/azure-functions-host#8372), so a redirect would come back as the page at the wrong address.
        if (string.IsNullOrEmpty(path) && !context.Request.Path.Value!.EndsWith('/'))
        {
            return Task.FromResult<IResult>(TypedResults.Text(WithBase(file.Content, $"{context.Request.PathBase}{context.Request.Path}/"), file.ContentType));
        }
        return Task.FromResult<IResult>(TypedResults.Stream(file.Content, file.ContentType));
    }

    private static string WithBase(Stream index, string baseUrl)
    {
        using var reader = new StreamReader(index);
        var html = reader.ReadToEnd();
        var head = html.IndexOf("<head>", StringComparison.OrdinalIgnoreCase);
        var tag = $"<base href=\"{System.Net.WebUtility.HtmlEncode(baseUrl)}\">";
        return head < 0 ? tag + html : html.Insert(head + "<head>".Length, tag);
    }
}
