using Microsoft.Extensions.Options;

namespace ContactCenter.Functions.Configuration;

/// <summary>Turns what start-up validation throws into the lines an operator needs to fix the settings.</summary>
public static class StartupErrors
{
    /// <summary>The configuration problems in <paramref name="exception"/>, or null when it is not a configuration problem.</summary>
    public static IReadOnlyList<string>? Describe(Exception exception)
    {
        var failures = new List<string>();
        Collect(exception, failures);
        return failures.Count > 0 ? failures : null;
    }

    private static void Collect(Exception exception, List<string> failures)
    {
        switch (exception)
        {
            case AggregateException aggregate:
                foreach (var inner in aggregate.InnerExceptions)
                {
                    Collect(inner, failures);
                }
                break;
            case OptionsValidationException validation:
                failures.AddRange(validation.Failures);
                break;
            // The configuration binder names the key and the type it could not convert the value to.
            case InvalidOperationException binder when binder.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal):
                failures.Add(binder.Message);
                break;
        }
    }
}
