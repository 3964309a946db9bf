using ContactCenter.Core.Routing;

namespace ContactCenter.Core.Tests.Workspace;

/// <summary>Disposition codes in the routing rules: global and per queue, strictly validated with line numbers.</summary>
public sealed class DispositionRulesTests
{
    [Fact]
    public void Each_queue_offers_the_global_codes_then_its_own()
    {
        var rules = RoutingRules.Parse("""
            {
              "version": 1,
              "dispositions": [ "resolved", { "code": "no-answer", "label": "Customer did not answer" } ],
              "queues": [
                { "id": "general" },
                { "id": "billing", "dispositions": [ { "code": "refund-issued", "label": "Refund issued" } ] }
              ]
            }
            """);

        Assert.Equal(["resolved", "no-answer"], rules.Dispositions.Select(d => d.Code));
        Assert.Equal(["resolved", "no-answer"], rules.Queues[0].Dispositions.Select(d => d.Code));
        Assert.Equal(["resolved", "no-answer", "refund-issued"], rules.Queues[1].Dispositions.Select(d => d.Code));
        Assert.Equal("Customer did not answer", rules.Queues[1].Dispositions[1].Label);
        Assert.Equal("resolved", rules.Queues[1].Dispositions[0].Label); // a bare code is its own label
    }

    [Fact]
    public void Bad_codes_are_refused_with_their_line_and_column()
    {
        var json = """
            {
              "version": 1,
              "dispositions": [ "resolved", "Resolved!" ],
              "queues": [
                { "id": "general", "dispositions": [ "resolved", { "code": "x", "colour": "red" }, 7 ] },
                { "id": "sales", "dispositions": [ "won", "won" ] }
              ]
            }
            """;

        var errors = Assert.Throws<RulesValidationException>(() => RoutingRules.Parse(json)).Errors;

        Assert.Contains(errors, e => e.Line == 3 && e.Pointer == "/dispositions/1" && e.Message.Contains("lower-case", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Line == 5 && e.Pointer == "/queues/0/dispositions/0" && e.Message.Contains("already in the global list", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Line == 5 && e.Pointer == "/queues/0/dispositions/1/colour" && e.Message.Contains("Unknown property 'colour'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Line == 5 && e.Pointer == "/queues/0/dispositions/2" && e.Message.Contains("the number 7", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Line == 6 && e.Pointer == "/queues/1/dispositions/1" && e.Message.Contains("listed twice", StringComparison.Ordinal));
        Assert.Equal(5, errors.Count);
    }

    [Fact]
    public void A_wrap_up_must_use_one_of_the_queue_codes_when_it_has_any()
    {
        var support = new QueueDefinition("support") { Dispositions = [new DispositionCode("resolved", "Resolved"), new DispositionCode("escalated", "Escalated")] };
        var general = new QueueDefinition("general");

        Assert.Equal(new WrapUpDetails("resolved", "all good"), Dispositions.Validate(new WrapUpDetails(" Resolved ", " all good "), support));
        var unknown = Assert.Throws<InvalidDispositionException>(() => Dispositions.Validate(new WrapUpDetails("fixed", null), support));
        Assert.Contains("use one of resolved, escalated", unknown.Message, StringComparison.Ordinal);
        Assert.Equal(["resolved", "escalated"], unknown.Valid.Select(d => d.Code));
        Assert.Contains("requires a disposition", Assert.Throws<InvalidDispositionException>(() => Dispositions.Validate(new WrapUpDetails(null, "notes only"), support)).Message, StringComparison.Ordinal);

        Assert.Equal(new WrapUpDetails(null, "notes only"), Dispositions.Validate(new WrapUpDetails(null, "notes only"), general));
        Assert.Contains("defines no disposition codes", Assert.Throws<InvalidDispositionException>(() => Dispositions.Validate(new WrapUpDetails("resolved", null), general)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Dispositions.Validate(new WrapUpDetails(null, new string('n', DispositionCode.MaxNotesLength + 1)), general));
    }

    [Fact]
    public void The_shipped_rules_file_validates_and_gives_support_its_codes()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "routing-rules.json");
        var rules = RoutingRules.Parse(File.ReadAllText(File.Exists(path) ? path : FindRepoFile("functions/ContactCenter.Functions/routing-rules.json")));

        Assert.Equal(["resolved", "escalated", "callback-promised"], rules.Queues.Single(q => q.Id == "support").Dispositions.Select(d => d.Code));
        Assert.Empty(rules.Queues.Single(q => q.Id == "general").Dispositions);
    }

    private static string FindRepoFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException(relative);
    }
}
