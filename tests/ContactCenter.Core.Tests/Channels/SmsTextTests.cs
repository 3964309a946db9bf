using ContactCenter.Core.Channels;

namespace ContactCenter.Core.Tests.Channels;

public sealed class SmsTextTests
{
    [Fact]
    public void Plain_text_and_accented_gsm_letters_are_gsm7_one_septet_each()
    {
        var length = SmsText.Measure("Hello Zoé? Your café order #12 ships @ 5pm: £3.50 ¡Olé!");

        Assert.Equal(SmsEncoding.Gsm7, length.Encoding);
        Assert.Equal(length.Characters, length.Units);
        Assert.Equal(1, length.Segments);
    }

    [Fact]
    public void Extension_table_characters_count_two_septets()
    {
        var length = SmsText.Measure("Price: 10€ [promo] {x} ~ | ^ \\");

        Assert.Equal(SmsEncoding.Gsm7, length.Encoding);
        // 9 extension characters (€ [ ] { } ~ | ^ \) each add one septet to the character count.
        Assert.Equal(length.Characters + 9, length.Units);
    }

    [Theory]
    [InlineData(160, 1)]
    [InlineData(161, 2)]
    [InlineData(306, 2)]
    [InlineData(307, 3)]
    [InlineData(1530, 10)]
    [InlineData(1531, 11)]
    public void Gsm7_is_160_in_one_segment_then_153_per_segment(int characters, int segments)
    {
        var length = SmsText.Measure(new string('a', characters));

        Assert.Equal((SmsEncoding.Gsm7, characters, segments), (length.Encoding, length.Units, length.Segments));
    }

    [Fact]
    public void A_euro_sign_at_160_septets_makes_two_segments_and_is_never_split_across_them()
    {
        Assert.Equal(1, SmsText.Measure(new string('a', 158) + "€").Segments); // 160 septets
        Assert.Equal(2, SmsText.Measure(new string('a', 159) + "€").Segments); // 161 septets

        // 152 + 2 septets do not fit 153: the escape and the € move together into the second segment.
        var text = new string('a', 152) + "€" + new string('a', 152);
        var length = SmsText.Measure(text);
        Assert.Equal(306, length.Units); // would fit two segments of 153 if the pair could be split
        Assert.Equal(3, length.Segments);
    }

    [Fact]
    public void An_emoji_or_a_non_gsm_character_switches_the_whole_text_to_ucs2()
    {
        var emoji = SmsText.Measure("Thanks! 👍");
        Assert.Equal(SmsEncoding.Ucs2, emoji.Encoding);
        Assert.Equal(10, emoji.Units); // the emoji is a surrogate pair: two units
        Assert.Equal(1, emoji.Segments);

        Assert.Equal(SmsEncoding.Ucs2, SmsText.Measure("Привет").Encoding);
        Assert.Equal(SmsEncoding.Ucs2, SmsText.Measure("ça va").Encoding); // ç is not in GSM-7 (only Ç is)
    }

    [Theory]
    [InlineData(70, 1)]
    [InlineData(71, 2)]
    [InlineData(134, 2)]
    [InlineData(135, 3)]
    public void Ucs2_is_70_in_one_segment_then_67_per_segment(int units, int segments)
    {
        var length = SmsText.Measure("ж" + new string('a', units - 1));

        Assert.Equal((SmsEncoding.Ucs2, units, segments), (length.Encoding, length.Units, length.Segments));
    }

    [Fact]
    public void A_surrogate_pair_is_not_split_between_segments()
    {
        // 66 units then an emoji (2) would straddle the 67-unit boundary: it moves to the second segment.
        var text = new string('ж', 66) + "😀" + new string('ж', 66);
        var length = SmsText.Measure(text);

        Assert.Equal(134, length.Units);
        Assert.Equal(3, length.Segments);
    }

    [Fact]
    public void Texts_over_the_segment_limit_or_acs_length_are_refused_with_the_numbers()
    {
        Assert.Equal(10, SmsText.EnsureSendable(new string('a', 1530)).Segments);

        var tooLong = Assert.Throws<SmsTooLongException>(() => SmsText.EnsureSendable(new string('a', 1531)));
        Assert.Equal(11, tooLong.Length.Segments);
        Assert.Contains("11 Gsm7 segments", tooLong.Message);
        Assert.Contains("at most 10", tooLong.Message);

        var emoji = Assert.Throws<SmsTooLongException>(() => SmsText.EnsureSendable("🙂" + new string('a', 200), maxSegments: 3));
        Assert.Contains("67", emoji.Message);

        var overAcs = Assert.Throws<SmsTooLongException>(() => SmsText.EnsureSendable(new string('a', 2049), maxSegments: 20));
        Assert.Contains("2048", overAcs.Message);
    }
}
