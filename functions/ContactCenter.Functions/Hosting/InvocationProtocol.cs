using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ContactCenter.Functions.Hosting;

/// <summary>The Functions host's request to a custom handler: trigger and input binding data, and metadata.</summary>
public sealed record InvocationRequest(
    Dictionary<string, JsonElement>? Data,
    Dictionary<string, JsonElement>? Metadata);

/// <summary>The custom handler's answer: output binding values, log lines for the host, and a return value.</summary>
public sealed record InvocationResponse(
    Dictionary<string, JsonNode?> Outputs,
    List<string> Logs,
    JsonNode? ReturnValue);

/// <summary>What a triggered function receives: its name, the binding data and the metadata, already validated.</summary>
public sealed class FunctionInvocation(string functionName, IReadOnlyDictionary<string, JsonElement> data,
    IReadOnlyDictionary<string, JsonElement> metadata, string invocationId)
{
    public string FunctionName { get; } = functionName;
    public IReadOnlyDictionary<string, JsonElement> Data { get; } = data;
    public IReadOnlyDictionary<string, JsonElement> Metadata { get; } = metadata;
    public string InvocationId { get; } = invocationId;

    /// <summary>The value of a binding; a missing one is bad input (400), never a crash.</summary>
    public JsonElement Binding(string name) =>
        Data.TryGetValue(name, out var value) && value.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null)
            ? value
            : throw new InvalidInvocationException($"Data.{name} is required for function {FunctionName}.");

    /// <summary>
    /// A binding that carries a Service Bus message body: the original text, decoded from the host's base64
    /// (dataType binary) or JSON-string-literal encoding (<see cref="HostValues.BodyText"/>). Anything else is bad input (400).
    /// </summary>
    public string BindingText(string name) => HostValues.BodyText(Binding(name), $"Data.{name} of {FunctionName}");

    /// <summary>A binding that carries a JSON object (an Event Grid event), sent as an object or as JSON text.</summary>
    public JsonElement BindingJson(string name) => HostValues.JsonObject(Binding(name), $"Data.{name} of {FunctionName}");

    /// <summary>A metadata value as text, with the host's JSON quoting undone (<see cref="HostValues.MetadataText"/>).</summary>
    public string? MetadataText(string name) =>
        Metadata.TryGetValue(name, out var value) ? HostValues.MetadataText(value) : null;

    /// <summary>The broker properties of a Service Bus-triggered invocation (message id, session, delivery count, ...).</summary>
    public ServiceBusMessageMetadata ServiceBus => _serviceBus ??= ServiceBusMessageMetadata.From(Metadata);

    private ServiceBusMessageMetadata? _serviceBus;

    /// <summary>Reads the host's request body ({"Data": {...}, "Metadata": {...}}) for a function; bad input is a 400.</summary>
    public static FunctionInvocation Parse(string functionName, string triggerName, ReadOnlySpan<byte> utf8Json, string invocationId)
    {
        InvocationRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(utf8Json, ProtocolJsonContext.Default.InvocationRequest);
        }
        catch (JsonException ex)
        {
            throw new InvalidInvocationException($"The body is not a valid invocation payload: {ex.Message}", ex);
        }
        if (request is null)
        {
            throw new InvalidInvocationException("The body is JSON null; expected an object with Data and Metadata.");
        }
        if (request.Data is null)
        {
            throw new InvalidInvocationException("The invocation payload has no Data object.");
        }
        var invocation = new FunctionInvocation(functionName, request.Data, request.Metadata ?? [], invocationId);
        invocation.Binding(triggerName);
        return invocation;
    }
}

/// <summary>The outcome of a triggered function: output binding values and log lines.</summary>
public sealed class InvocationResult
{
    public Dictionary<string, JsonNode?> Outputs { get; } = new(StringComparer.Ordinal);
    public List<string> Logs { get; } = [];
    public JsonNode? ReturnValue { get; set; }

    public InvocationResult Output(string bindingName, JsonNode? value)
    {
        Outputs[bindingName] = value;
        return this;
    }

    public InvocationResult Log(string line)
    {
        Logs.Add(line);
        return this;
    }

    public InvocationResponse ToResponse() => new(Outputs, Logs, ReturnValue);
}

/// <summary>The invocation payload is not what the function needs: answered with 400 problem+json.</summary>
public sealed class InvalidInvocationException(string message, Exception? inner = null) : Exception(message, inner);

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(InvocationRequest))]
[JsonSerializable(typeof(InvocationResponse))]
internal sealed partial class ProtocolJsonContext : JsonSerializerContext;
