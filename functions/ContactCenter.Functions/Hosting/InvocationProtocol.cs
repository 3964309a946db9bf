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
    /// A binding that carries text (a Service Bus message body). The host sends string bodies either as a JSON
    /// string or, when the body itself is JSON, as the parsed value; both come back here as the same text.
    /// </summary>
    public string BindingText(string name)
    {
        var value = Binding(name);
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
    }

    public string? MetadataText(string name) =>
        Metadata.TryGetValue(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => value.GetRawText(),
        } : null;
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
