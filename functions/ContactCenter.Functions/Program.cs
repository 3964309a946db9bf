using ContactCenter.Functions;
using ContactCenter.Functions.Configuration;
using ContactCenter.Functions.Functions;
using ContactCenter.Functions.Hosting;

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
catch (Exception ex) when (StartupErrors.Describe(ex) is { } failures)
{
    await Console.Error.WriteLineAsync("ContactCenter.Functions cannot start: the configuration is invalid.");
    foreach (var failure in failures)
    {
        await Console.Error.WriteLineAsync($"  - {failure}");
    }
    return 2;
}
