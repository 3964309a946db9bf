namespace ContactCenter.Functions.Hosting;

/// <summary>A function the host invokes through the custom-handler protocol (every trigger but HTTP).</summary>
public interface ITriggeredFunction
{
    Task<InvocationResult> InvokeAsync(FunctionInvocation invocation, CancellationToken cancellationToken);
}

/// <summary>A function the host forwards HTTP requests to; it answers like any minimal-API endpoint.</summary>
public interface IHttpFunction
{
    Task<IResult> HandleAsync(HttpContext context);
}
