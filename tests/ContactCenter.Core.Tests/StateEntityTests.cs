using ContactCenter.Core.State;

namespace ContactCenter.Core.Tests;

public sealed class StateEntityTests
{
    [Theory]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("a#b")]
    [InlineData("a?b")]
    [InlineData("a\u0001b")]
    public void Keys_with_characters_Table_Storage_forbids_are_rejected(string key)
    {
        var ex = Assert.Throws<ArgumentException>(() => new StateEntity(key, "row"));
        Assert.Contains("must not contain", ex.Message);
        Assert.Throws<ArgumentException>(() => new StateEntity("partition", key));
    }

    [Fact]
    public void Keys_longer_than_1024_characters_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new StateEntity(new string('k', 1025), "row"));
        Assert.Equal(1024, new StateEntity(new string('k', 1024), "row").PartitionKey.Length);
    }

    [Fact]
    public void Properties_are_normalised_to_the_types_both_backends_store()
    {
        var local = new DateTime(2026, 11, 23, 10, 0, 0, DateTimeKind.Utc);
        var entity = new StateEntity("p", "r", new Dictionary<string, object?>
        {
            ["Count"] = 3,
            ["When"] = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.FromHours(2)),
            ["Plain"] = local,
            ["Nothing"] = null,
        });

        Assert.Equal(3L, entity.Properties["Count"]);
        Assert.Equal(TimeSpan.Zero, ((DateTimeOffset)entity.Properties["When"]!).Offset);
        Assert.Equal(new DateTimeOffset(local), entity.GetDateTimeOffset("Plain"));
        Assert.False(entity.Properties.ContainsKey("Nothing"));
        Assert.Equal(3L, entity.GetInt64("Count"));
    }

    [Theory]
    [InlineData("PartitionKey")]
    [InlineData("rowkey")]
    [InlineData("Timestamp")]
    [InlineData("")]
    public void Reserved_or_empty_property_names_are_rejected(string name)
    {
        Assert.Throws<ArgumentException>(() => new StateEntity("p", "r", new Dictionary<string, object?> { [name] = "x" }));
    }

    [Fact]
    public void Unsupported_property_types_and_oversized_strings_are_rejected_with_the_property_name()
    {
        var ex = Assert.Throws<ArgumentException>(() => new StateEntity("p", "r", new Dictionary<string, object?> { ["Price"] = 1.5m }));
        Assert.Contains("Price", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => new StateEntity("p", "r",
            new Dictionary<string, object?> { ["Body"] = new string('x', StateProperties.MaxStringLength + 1) }));
        Assert.Contains("Body", ex.Message);
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("1table")]
    [InlineData("has-dash")]
    public void Invalid_table_names_are_rejected(string table)
    {
        Assert.Throws<ArgumentException>(() => StateKeys.EnsureValidTableName(table));
    }

    [Fact]
    public void Batches_must_stay_in_one_partition_without_repeating_a_row()
    {
        var a = new StateEntity("p1", "r1");
        Assert.Throws<ArgumentException>(() => StateOperation.ValidateBatch([StateOperation.Insert(a), StateOperation.Insert(new StateEntity("p2", "r2"))]));
        Assert.Throws<ArgumentException>(() => StateOperation.ValidateBatch([StateOperation.Insert(a), StateOperation.Upsert(a)]));
        Assert.Throws<ArgumentException>(() => StateOperation.ValidateBatch([]));
        Assert.Throws<ArgumentException>(() => StateOperation.ValidateBatch(
            Enumerable.Range(0, 101).Select(i => StateOperation.Insert(new StateEntity("p", $"r{i}"))).ToList()));
    }
}
