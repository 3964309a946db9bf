using ContactCenter.Core.Routing;

namespace ContactCenter.Core.Tests;

public sealed class RoutingRulesTests
{
    private const string Valid = """
        {
          // Comments are allowed: rules files are written by people.
          "version": 4,
          "queues": [
            {
              "id": "billing",
              "requiredSkills": [ { "skill": "Billing", "minProficiency": 5 } ],
              "policy": "bestSkillMatch",
              "priority": 10,
              "offerTimeoutSeconds": 15,
              "wrapUpSeconds": 30,
              "stickyAgentSeconds": 120,
              "maxMissedOffers": 2,
              "maxWaitSeconds": 900,
              "businessHours": {
                "timeZone": "Europe/London",
                "weekly": { "mon": ["08:00-12:00", "13:00-18:00"], "sat": [] },
                "holidays": ["2026-12-25"]
              },
              "overflow": [
                { "afterSeconds": 60, "relaxSkills": { "billing": 3 } },
                { "afterSeconds": 300, "moveTo": "general", "offerCallback": true },
              ]
            },
            { "id": "general" }
          ]
        }
        """;

    [Fact]
    public void A_valid_file_becomes_queue_definitions()
    {
        var rules = RoutingRules.Parse(Valid);

        Assert.Equal(4, rules.Version);
        var billing = rules.Queues[0];
        Assert.Equal(("billing", 5), (billing.RequiredSkills[0].Skill, billing.RequiredSkills[0].MinimumProficiency));
        Assert.Equal(DistributionPolicy.BestSkillMatch, billing.Policy);
        Assert.Equal((10, 15, 30, 120, 2, 900), (billing.DefaultPriority, (int)billing.OfferTimeout.TotalSeconds, (int)billing.WrapUp.TotalSeconds,
            (int)billing.StickyAgentWindow.TotalSeconds, billing.MaxMissedOffers, (int)billing.MaxWait!.Value.TotalSeconds));
        Assert.Equal(3, billing.Overflow[0].RelaxSkills["billing"]);
        Assert.Equal(("general", true), (billing.Overflow[1].MoveToQueueId, billing.Overflow[1].OfferCallback));
        Assert.Equal(DistributionPolicy.LongestIdle, rules.Queues[1].Policy);
    }

    [Fact]
    public void Business_hours_follow_the_time_zone_and_holidays()
    {
        var hours = RoutingRules.Parse(Valid).Queues[0].Hours!;

        // Monday 2026-11-23: London is UTC+0 in November.
        Assert.True(hours.IsOpen(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero)));
        Assert.False(hours.IsOpen(new DateTimeOffset(2026, 11, 23, 12, 30, 0, TimeSpan.Zero)));
        Assert.False(hours.IsOpen(new DateTimeOffset(2026, 11, 23, 18, 0, 0, TimeSpan.Zero)));
        // Monday 2026-06-01 08:30 in London is 07:30 UTC (summer time).
        Assert.True(hours.IsOpen(new DateTimeOffset(2026, 6, 1, 7, 30, 0, TimeSpan.Zero)));
        Assert.False(hours.IsOpen(new DateTimeOffset(2026, 6, 1, 6, 30, 0, TimeSpan.Zero)));
        // Christmas 2028 is a Monday, but a holiday only in 2026 as listed; Tuesday has no hours.
        Assert.False(hours.IsOpen(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Every_error_is_reported_with_its_line_and_column()
    {
        var json = """
            {
              "version": 2,
              "queues": [
                {
                  "id": "sales",
                  "polcy": "longestIdle",
                  "requiredSkills": [ { "skill": "sales", "minProficiency": 11 } ],
                  "overflow": [
                    { "afterSeconds": 30, "moveTo": "nowhere" },
                    { "afterSeconds": 20 }
                  ]
                },
                { "id": "sales", "policy": "random" }
              ]
            }
            """;

        var errors = Assert.Throws<RulesValidationException>(() => RoutingRules.Parse(json)).Errors;

        Assert.Contains(errors, e => e is { Line: 6, Column: 7 } && e.Message.Contains("Unknown property 'polcy'"));
        Assert.Contains(errors, e => e.Line == 7 && e.Pointer == "/queues/0/requiredSkills/0/minProficiency" && e.Message.Contains("between 1 and 10"));
        Assert.Contains(errors, e => e.Line == 9 && e.Message.Contains("'nowhere'"));
        Assert.Contains(errors, e => e.Line == 10 && e.Message.Contains("increasing order"));
        Assert.Contains(errors, e => e.Line == 10 && e.Message.Contains("needs an action"));
        Assert.Contains(errors, e => e.Line == 13 && e.Message.Contains("used twice"));
        Assert.Contains(errors, e => e.Line == 13 && e.Message.Contains("Unknown policy 'random'"));
        Assert.Equal(7, errors.Count);
    }

    [Theory]
    [InlineData("{ \"version\": 1, \"queues\": [ { \"id\": \"a\" } ", 1, "Not valid JSON")]
    [InlineData("{\n  \"version\": 1,\n  \"queues\": [ { \"id\": \"a\", } ]\n  \"extra\": 1\n}", 4, "Not valid JSON")]
    [InlineData("{ \"queues\": [ { \"id\": \"a\" } ] }", 1, "'version' is required")]
    [InlineData("{ \"version\": 1, \"queues\": [] }", 1, "At least one queue")]
    [InlineData("[1, 2]", 1, "Expected an object")]
    [InlineData("{ \"version\": 1, \"queues\": [ { \"id\": \"Bad Id\" } ] }", 1, "lower-case letters")]
    [InlineData("{ \"version\": 1, \"queues\": [ { \"id\": \"a\", \"businessHours\": { \"timeZone\": \"Mars/Olympus\", \"weekly\": {} } } ] }", 1, "Unknown time zone")]
    [InlineData("{ \"version\": 1, \"queues\": [ { \"id\": \"a\", \"businessHours\": { \"timeZone\": \"UTC\", \"weekly\": { \"mon\": [\"18:00-08:00\"] } } } ] }", 1, "open before close")]
    public void Malformed_files_are_refused_with_a_located_reason(string json, int line, string reason)
    {
        var errors = Assert.Throws<RulesValidationException>(() => RoutingRules.Parse(json)).Errors;
        Assert.Contains(errors, e => e.Line == line && e.Message.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void Overflow_that_moves_contacts_in_a_circle_is_refused()
    {
        var json = """{ "version": 1, "queues": [ { "id": "a", "overflow": [ { "afterSeconds": 10, "moveTo": "b" } ] }, { "id": "b", "overflow": [ { "afterSeconds": 10, "moveTo": "a" } ] } ] }""";
        var errors = Assert.Throws<RulesValidationException>(() => RoutingRules.Parse(json)).Errors;
        Assert.Contains(errors, e => e.Message.Contains("in a circle"));
    }

    [Fact]
    public void The_catalog_keeps_the_active_rules_when_a_file_is_invalid_old_or_unchanged()
    {
        var catalog = new RoutingRulesCatalog(RoutingRules.Parse(Valid), "v4.json");

        var broken = catalog.TryApply("""{ "version": 9, "queues": [ { "id": "x", "policy": "fastest" } ] }""", "v9.json");
        var older = catalog.TryApply("""{ "version": 3, "queues": [ { "id": "old" } ] }""", "v3.json");
        var same = catalog.TryApply("""{ "version": 4, "queues": [ { "id": "other" } ] }""", "v4b.json");

        Assert.False(broken.Applied);
        Assert.Single(broken.Errors);
        Assert.False(older.Applied);
        Assert.Contains("older", older.Outcome);
        Assert.False(same.Applied);
        Assert.Equal(4, catalog.Current.Version);
        Assert.NotNull(catalog.Find("billing"));

        var newer = catalog.TryApply("""{ "version": 5, "queues": [ { "id": "support" } ] }""", "v5.json");
        Assert.True(newer.Applied);
        Assert.Null(catalog.Find("billing"));
        Assert.NotNull(catalog.Find("support"));
        Assert.Equal("v5.json", catalog.Source);
    }

    [Fact]
    public void Text_from_the_shared_store_may_replace_rules_of_the_same_version_but_never_older_ones()
    {
        var catalog = new RoutingRulesCatalog(RoutingRules.Parse(Valid), "deployed file");

        var same = catalog.TryApply("""{ "version": 4, "queues": [ { "id": "stored" } ] }""", "store", replaceSameVersion: true);
        var older = catalog.TryApply("""{ "version": 3, "queues": [ { "id": "old" } ] }""", "store", replaceSameVersion: true);

        Assert.True(same.Applied);
        Assert.NotNull(catalog.Find("stored"));
        Assert.Equal("store", catalog.Source);
        Assert.False(older.Applied);
        Assert.Null(catalog.Find("old"));
    }
}
