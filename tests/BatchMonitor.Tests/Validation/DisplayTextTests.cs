using BatchMonitor.Core.Validation;

namespace BatchMonitor.Tests.Validation;

public sealed class DisplayTextTests
{
    [Theory]
    [InlineData("a\0b", "a NUL character", 2)]
    [InlineData("a\tb", "a tab", 2)]
    [InlineData("a\nb", "a line break", 2)]
    [InlineData("a\rb", "a line break", 2)]
    [InlineData("a\u2028b", "a line break", 2)]
    [InlineData("a\u2029b", "a line break", 2)]
    [InlineData("a\u0085b", "a line break", 2)]
    [InlineData("bell\u0007", "a control character", 5)]
    [InlineData("del\u007F", "a control character", 4)]
    [InlineData("c1\u009B", "a control character", 3)]
    [InlineData("invoice\u202Egnp.exe", "a bidirectional control character", 8)]
    [InlineData("\u202Aa", "a bidirectional control character", 1)]
    [InlineData("\u202Ba", "a bidirectional control character", 1)]
    [InlineData("\u202Ca", "a bidirectional control character", 1)]
    [InlineData("\u202Da", "a bidirectional control character", 1)]
    [InlineData("a\u2066b", "a bidirectional control character", 2)]
    [InlineData("a\u2067b", "a bidirectional control character", 2)]
    [InlineData("a\u2068b", "a bidirectional control character", 2)]
    [InlineData("a\u2069b", "a bidirectional control character", 2)]
    [InlineData("a\u200Eb", "a bidirectional control character", 2)]
    [InlineData("a\u200Fb", "a bidirectional control character", 2)]
    [InlineData("a\u061Cb", "a bidirectional control character", 2)]
    public void Control_line_break_and_bidi_characters_are_refused_naming_the_character_and_where(string text, string kind, int position)
    {
        var problem = DisplayText.Problem(text, "The name");

        Assert.NotNull(problem);
        Assert.StartsWith($"The name cannot contain {kind} (U+", problem);
        Assert.Contains($"at position {position})", problem);
        Assert.False(DisplayText.IsSafe(text));
    }

    [Fact]
    public void Half_of_a_surrogate_pair_is_refused_and_a_whole_pair_is_fine()
    {
        // Built from chars: test data passes through xunit's serialiser, which would mend a lone surrogate.
        var high = "a" + (char)0xD800 + "b";
        var low = "a" + (char)0xDC00;

        Assert.Contains("half of a surrogate pair (U+D800 at position 2)", DisplayText.Problem(high, "The key"));
        Assert.Contains("half of a surrogate pair (U+DC00 at position 2)", DisplayText.Problem(low, "The key"));
        Assert.Null(DisplayText.Problem("a" + (char)0xD83D + (char)0xDE00, "The key"));
    }

    [Theory]
    [InlineData("collect page 2")]
    [InlineData("O'Brien & <Lee> \"quoted\" %_\\")]
    [InlineData("한글 이름")]
    [InlineData("עברית ومرحبا")]
    [InlineData("family 👨‍👩‍👧 emoji")]
    [InlineData("zero\u200Bwidth space and joiner \u200D")]
    [InlineData("")]
    public void Plain_text_in_any_script_is_fine(string text)
    {
        Assert.Null(DisplayText.Problem(text, "The name"));
        Assert.True(DisplayText.IsSafe(text));
    }
}
