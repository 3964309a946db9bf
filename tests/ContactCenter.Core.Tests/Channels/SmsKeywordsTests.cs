using ContactCenter.Core.Channels;

namespace ContactCenter.Core.Tests.Channels;

public sealed class SmsKeywordsTests
{
    [Theory]
    [InlineData("STOP", SmsKeyword.OptOut)]
    [InlineData("stop", SmsKeyword.OptOut)]
    [InlineData("  Stop \n", SmsKeyword.OptOut)]
    [InlineData("STOPALL", SmsKeyword.OptOut)]
    [InlineData("unsubscribe", SmsKeyword.OptOut)]
    [InlineData("Cancel", SmsKeyword.OptOut)]
    [InlineData("END", SmsKeyword.OptOut)]
    [InlineData("quit", SmsKeyword.OptOut)]
    [InlineData("START", SmsKeyword.OptIn)]
    [InlineData("unstop", SmsKeyword.OptIn)]
    [InlineData("Yes", SmsKeyword.OptIn)]
    [InlineData("HELP", SmsKeyword.Help)]
    [InlineData(" info ", SmsKeyword.Help)]
    public void The_whole_trimmed_message_is_the_keyword_in_any_case(string text, SmsKeyword expected) =>
        Assert.Equal(expected, SmsKeywords.Classify(text));

    [Theory]
    [InlineData("Please stop")]
    [InlineData("STOP IT")]
    [InlineData("stopped")]
    [InlineData("yes please")]
    [InlineData("I need help")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void Anything_else_is_an_ordinary_message(string? text) =>
        Assert.Equal(SmsKeyword.None, SmsKeywords.Classify(text));
}
