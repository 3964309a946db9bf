using ContactCenter.Functions.Hosting;

namespace ContactCenter.Functions.AgentWidget;

/// <summary>
/// The agent console's static files as an HTTP function, so the Functions host forwards them too: under the host the
/// console is at /api/agent/ (the host serves HTTP functions under its route prefix only); local mode also serves it
/// at /agent/. Anonymous: the files hold no data, and every API call the console makes carries the agent's token.
/// </summary>
public static class AgentWidgetFunctions
{
    public static readonly FunctionDefinition Files = new("AgentWidget", new HttpTrigger("agent/{*path}", ["get"]));

    public static IReadOnlyList<FunctionDefinition> All { get; } = [Files];
}
