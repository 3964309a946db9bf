using ContactCenter.Core.Documents;

namespace ContactCenter.Core.Ivr;

/// <summary>The IVR flows as a versioned document shared by every instance, like the routing rules.</summary>
public static class IvrFlowsDocument
{
    public const string Partition = "ivr-flows";

    /// <param name="knownQueueIds">The queues flows may name, read at each validation (the routing rules may change meanwhile).</param>
    public static DocumentKind<IvrFlows> Kind(Func<IReadOnlyCollection<string>?> knownQueueIds)
    {
        ArgumentNullException.ThrowIfNull(knownQueueIds);
        return new(Partition, "IVR flows", text => Validate(text, knownQueueIds()));
    }

    public static DocumentParse<IvrFlows> Validate(string text, IReadOnlyCollection<string>? knownQueueIds)
    {
        try
        {
            var flows = IvrFlowReader.Parse(text, knownQueueIds);
            return DocumentParse<IvrFlows>.Valid(flows, flows.Version);
        }
        catch (IvrFlowValidationException ex)
        {
            return DocumentParse<IvrFlows>.Invalid(ex.Errors.Select(e => new DocumentError(e.Line, e.Column, e.Pointer, e.Message)));
        }
    }
}
