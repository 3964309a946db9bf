using ContactCenter.FunctionsPackage;

// dotnet run --project tools/ContactCenter.FunctionsPackage -- <published folder> <package.zip>
if (args.Length != 2 || args[0] is "--help" or "-h")
{
    Console.Error.WriteLine("""
        Zips a published Functions custom-handler folder (host.json, one folder per function with function.json, the
        handler named by host.json) so Linux hosts see the handler as executable (Unix mode 0755).
          usage: ContactCenter.FunctionsPackage <published folder> <package.zip>
        """);
    return args.Length == 1 && args[0] is "--help" or "-h" ? 0 : 2;
}
try
{
    var package = FunctionPackage.Create(args[0], args[1]);
    Console.WriteLine($"{package.Path}: {package.Entries.Count} files, handler {package.Handler} (mode 0755), {package.Functions.Count} functions.");
    return 0;
}
catch (InvalidOperationException e)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
