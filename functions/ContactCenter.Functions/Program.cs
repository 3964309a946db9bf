using ContactCenter.Functions;
using ContactCenter.Functions.Functions;
using ContactCenter.Functions.Hosting;
using Microsoft.Extensions.Options;

if (args is [FunctionAppLayout.WriteMetadataArgument, var outputDirectory])
{
    foreach (var path in FunctionAppLayout.Write(outputDirectory, FunctionCatalog.All))
    {
        Console.WriteLine($"wrote {path}");
    }
    return 0;
}

try
{
    await ContactCenterApp.Build(args).RunAsync();
    return 0;
}
catch (OptionsValidationException ex)
{
    await Console.Error.WriteLineAsync("ContactCenter.Functions cannot start: the configuration is invalid.");
    foreach (var failure in ex.Failures)
    {
        await Console.Error.WriteLineAsync($"  - {failure}");
    }
    return 2;
}
catch (InvalidOperationException ex) when (ex.Message.Contains("configuration", StringComparison.OrdinalIgnoreCase))
{
    // The configuration binder's own message names the key and the value it could not convert.
    await Console.Error.WriteLineAsync($"ContactCenter.Functions cannot start: {ex.Message}");
    return 2;
}
