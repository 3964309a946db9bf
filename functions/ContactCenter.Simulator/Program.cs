using System.Globalization;
using System.Text.Json;
using ContactCenter.Core.Routing;
using ContactCenter.Simulator;

return await SimulatorCommand.RunAsync(args, Console.Out, Console.Error);

namespace ContactCenter.Simulator
{
    /// <summary>
    /// The simulator's command line: `erlang` runs a simulation, `staffing` answers how many agents a target needs,
    /// `ivr-test` plays scripted callers through IVR flows.
    /// </summary>
    public static class SimulatorCommand
    {
        private static readonly JsonSerializerOptions Json = new()
        {
            WriteIndented = true,
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };

        public const string Usage = """
            usage:
              erlang   --arrivals-per-hour A --aht-seconds H --agents N --target-seconds T --hours D --seed S
                       [--patience-seconds P] [--warmup-hours W]
                       Simulates one FIFO queue through the production ACD on virtual time and prints one JSON object
                       (p_wait, asa_seconds, service_level, occupancy, contacts, lost, ...) with Erlang C's prediction.
              staffing --arrivals-per-hour A --aht-seconds H --target-seconds T --service-level L
                       [--max-asa-seconds S] [--max-occupancy O]
                       Prints the fewest agents that meet the target (Erlang C) as JSON.
              ivr-test --flows F --journeys DIR_OR_FILE [--queues ROUTING_RULES]
                       Validates the IVR flows (queue ids against the routing rules, if given) and runs every journey
                       (*.json); prints PASS/FAIL per journey and exits 1 if any fails.
            """;

        public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
        {
            try
            {
                switch (args)
                {
                    case ["erlang", .. var rest]:
                    {
                        var options = Parse(rest, "arrivals-per-hour", "aht-seconds", "agents", "target-seconds", "hours", "seed", "patience-seconds", "warmup-hours");
                        var scenario = new ErlangScenario(
                            Required(options, "arrivals-per-hour"), Required(options, "aht-seconds"), (int)Required(options, "agents", whole: true),
                            Required(options, "target-seconds"), Required(options, "hours"), (int)Required(options, "seed", whole: true))
                        {
                            PatienceSeconds = Optional(options, "patience-seconds"),
                            WarmupHours = Optional(options, "warmup-hours") ?? 0.5,
                        };
                        if (scenario.Validate() is { Count: > 0 } problems)
                        {
                            throw new UsageException(string.Join(Environment.NewLine, problems));
                        }
                        var result = await new ErlangSimulation(scenario).RunAsync();
                        await output.WriteLineAsync(JsonSerializer.Serialize(result, Json));
                        return 0;
                    }
                    case ["staffing", .. var rest]:
                    {
                        var options = Parse(rest, "arrivals-per-hour", "aht-seconds", "target-seconds", "service-level", "max-asa-seconds", "max-occupancy");
                        var result = ErlangC.AgentsNeeded(Required(options, "arrivals-per-hour"), Required(options, "aht-seconds"),
                            Required(options, "target-seconds"), Required(options, "service-level"),
                            Optional(options, "max-asa-seconds"), Optional(options, "max-occupancy"));
                        await output.WriteLineAsync(JsonSerializer.Serialize(result, Json));
                        return 0;
                    }
                    case ["ivr-test", .. var rest]:
                    {
                        var options = Parse(rest, "flows", "journeys", "queues");
                        return await IvrTestCommand.RunAsync(RequiredText(options, "flows"), RequiredText(options, "journeys"), options.GetValueOrDefault("queues"), output);
                    }
                    default:
                        throw new UsageException(args.Length == 0 ? "Name a command." : $"Unknown command '{args[0]}'.");
                }
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                await error.WriteLineAsync(ex.Message);
                return 2;
            }
            catch (Exception ex) when (ex is UsageException or ArgumentException)
            {
                await error.WriteLineAsync(ex.Message);
                await error.WriteLineAsync(Usage);
                return 2;
            }
        }

        private static Dictionary<string, string> Parse(string[] args, params string[] known)
        {
            var options = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < args.Length; i++)
            {
                var name = args[i].StartsWith("--", StringComparison.Ordinal) ? args[i][2..] : throw new UsageException($"Expected an option such as --agents, not '{args[i]}'.");
                if (!known.Contains(name))
                {
                    throw new UsageException($"Unknown option --{name}.");
                }
                if (i + 1 >= args.Length)
                {
                    throw new UsageException($"--{name} needs a value.");
                }
                options[name] = args[++i];
            }
            return options;
        }

        private static string RequiredText(Dictionary<string, string> options, string name) =>
            options.TryGetValue(name, out var text) ? text : throw new UsageException($"--{name} is required.");

        private static double Required(Dictionary<string, string> options, string name, bool whole = false) =>
            Optional(options, name, whole) ?? throw new UsageException($"--{name} is required.");

        private static double? Optional(Dictionary<string, string> options, string name, bool whole = false)
        {
            if (!options.TryGetValue(name, out var text))
            {
                return null;
            }
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || (whole && value != Math.Floor(value)))
            {
                throw new UsageException($"--{name} must be {(whole ? "a whole number" : "a number")}, not '{text}'.");
            }
            return value;
        }

        private sealed class UsageException(string message) : Exception(message);
    }
}
