using ContactCenter.Core.Ivr;
using ContactCenter.Core.Routing;

namespace ContactCenter.Simulator;

/// <summary>`ivr-test`: validates a flows file and plays every journey through it, for people and for CI.</summary>
public static class IvrTestCommand
{
    /// <summary>0 when the flows are valid and every journey passes, 1 otherwise.</summary>
    public static async Task<int> RunAsync(string flowsPath, string journeysPath, string? queuesPath, TextWriter output)
    {
        RoutingRulesCatalog? queues = null;
        if (queuesPath is not null)
        {
            try
            {
                queues = new RoutingRulesCatalog(RoutingRules.Parse(await File.ReadAllTextAsync(queuesPath)), queuesPath);
            }
            catch (RulesValidationException ex)
            {
                await output.WriteLineAsync($"{queuesPath}: {ex.Message}");
                return 1;
            }
        }
        IvrFlows flows;
        try
        {
            flows = IvrFlowReader.Parse(await File.ReadAllTextAsync(flowsPath), queues?.QueueIds);
        }
        catch (IvrFlowValidationException ex)
        {
            foreach (var error in ex.Errors)
            {
                await output.WriteLineAsync($"{flowsPath}: {error}");
            }
            return 1;
        }
        var files = Directory.Exists(journeysPath)
            ? Directory.GetFiles(journeysPath, "*.json").Order(StringComparer.Ordinal).ToArray()
            : [journeysPath];
        if (files.Length == 0)
        {
            await output.WriteLineAsync($"{journeysPath}: no journey files (*.json).");
            return 1;
        }
        var runner = new IvrFlowTestRunner(flows, queues);
        var failed = 0;
        foreach (var file in files)
        {
            var result = runner.Run(await File.ReadAllTextAsync(file), Path.GetFileNameWithoutExtension(file));
            failed += result.Passed ? 0 : 1;
            await output.WriteLineAsync(result.Passed ? $"PASS {result.Name}: {result.Message}" : $"FAIL {result.Name} ({file}): {result.Message}");
        }
        await output.WriteLineAsync($"{files.Length - failed} passed, {failed} failed (flows version {flows.Version}).");
        return failed == 0 ? 0 : 1;
    }
}
