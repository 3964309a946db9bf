using System.Text.Json.Nodes;

namespace ContactCenter.Functions.Hosting;

/// <summary>
/// One binding of a function as function.json declares it. Each record knows its own function.json shape, so a
/// function is declared once in C# and its function.json is generated from that declaration.
/// </summary>
public abstract record FunctionBinding(string Type, string Direction, string Name)
{
    /// <summary>The app setting prefix the host reads for identity-based Service Bus connections.</summary>
    public const string ServiceBusConnection = "ServiceBusConnection";

    public virtual bool IsTrigger => Type.EndsWith("Trigger", StringComparison.Ordinal);

    public JsonObject ToJson()
    {
        var json = new JsonObject { ["type"] = Type, ["direction"] = Direction, ["name"] = Name };
        AddProperties(json);
        return json;
    }

    protected virtual void AddProperties(JsonObject json)
    {
    }
}

/// <summary>HTTP trigger; the host forwards the request as-is (enableForwardingHttpRequest) to /api/{Route}.</summary>
public sealed record HttpTrigger(string Route, IReadOnlyList<string> Methods, string AuthLevel = "anonymous")
    : FunctionBinding("httpTrigger", "in", "req")
{
    protected override void AddProperties(JsonObject json)
    {
        json["route"] = Route;
        json["methods"] = new JsonArray(Methods.Select(m => (JsonNode?)JsonValue.Create(m.ToLowerInvariant())).ToArray());
        json["authLevel"] = AuthLevel;
    }
}

public sealed record HttpOutput() : FunctionBinding("http", "out", "res");

/// <summary>Event Grid trigger: one event per invocation, in Data[Name].</summary>
public sealed record EventGridTrigger(string Name = "eventGridEvent") : FunctionBinding("eventGridTrigger", "in", Name);

/// <summary>
/// Service Bus queue trigger: the message body in Data[Name], broker properties in Metadata. Declared with
/// <c>"dataType": "binary"</c> so the host binds the body to byte[] and sends exactly its bytes (base64 in the JSON);
/// without it the body binds to string and arrives JSON-encoded twice, with its top-level JSON properties merged into
/// Metadata over the broker properties (docs/functions-host.md has the sources).
/// </summary>
public sealed record ServiceBusTrigger(string QueueName, bool IsSessionsEnabled = false, string Name = "message")
    : FunctionBinding("serviceBusTrigger", "in", Name)
{
    protected override void AddProperties(JsonObject json)
    {
        json["queueName"] = QueueName;
        json["connection"] = ServiceBusConnection;
        json["dataType"] = "binary";
        if (IsSessionsEnabled)
        {
            json["isSessionsEnabled"] = true;
        }
    }
}

/// <summary>Service Bus queue output: the handler returns one message or an array of messages in Outputs[Name].</summary>
public sealed record ServiceBusOutput(string Name, string QueueName) : FunctionBinding("serviceBus", "out", Name)
{
    protected override void AddProperties(JsonObject json)
    {
        json["queueName"] = QueueName;
        json["connection"] = ServiceBusConnection;
    }
}

/// <summary>Timer trigger with a six-field NCRONTAB schedule ({second} {minute} {hour} {day} {month} {day-of-week}).</summary>
public sealed record TimerTrigger(string Schedule, bool RunOnStartup = false, string Name = "timer")
    : FunctionBinding("timerTrigger", "in", Name)
{
    protected override void AddProperties(JsonObject json)
    {
        json["schedule"] = Schedule;
        if (RunOnStartup)
        {
            json["runOnStartup"] = true;
        }
    }
}

/// <summary>
/// Azure SignalR Service output binding (extension bundle): the handler returns signalRMessages in Outputs[Name], each
/// <c>{userId | groupName, target, arguments}</c>. The connection is the app setting named by
/// <see cref="ConnectionSetting"/> (a connection string) or, identity-based, its <c>__serviceUri</c> variant.
/// </summary>
public sealed record SignalROutput(string Name, string HubName) : FunctionBinding("signalR", "out", Name)
{
    public const string ConnectionSetting = "AzureSignalRConnectionString";

    protected override void AddProperties(JsonObject json)
    {
        json["hubName"] = HubName;
        json["connectionStringSetting"] = ConnectionSetting;
    }
}
