using BatchMonitor.Core.Importing;

namespace BatchMonitor.Tests.Importing;

public sealed class ItemTextParserTests
{
    [Fact]
    public void Pasted_lines_are_keys_trimmed_with_blank_lines_skipped()
    {
        var parsed = ItemTextParser.Parse("alice\r\n  bob  \n\n\t\ncarol, jr\n");
        Assert.Equal(["alice", "bob", "carol, jr"], parsed.Items.Select(i => i.Key));
        Assert.Empty(parsed.Problems);
    }

    [Fact]
    public void A_csv_with_a_key_header_keeps_group_and_puts_other_columns_in_the_payload()
    {
        var parsed = ItemTextParser.Parse("name,key,group,level\n\"Kim, Jr\",kim,siel,42\n\"He said \"\"hi\"\"\",lee,,7\n", "chars.csv");

        Assert.Equal(["kim", "lee"], parsed.Items.Select(i => i.Key));
        Assert.Equal(["siel", null], parsed.Items.Select(i => i.Group));
        Assert.Equal("Kim, Jr", parsed.Items[0].Payload!["name"]!.GetValue<string>());
        Assert.Equal("42", parsed.Items[0].Payload!["level"]!.GetValue<string>());
        Assert.Equal("He said \"hi\"", parsed.Items[1].Payload!["name"]!.GetValue<string>());
    }

    [Fact]
    public void A_csv_without_header_reads_key_then_group_and_reports_empty_keys_by_line()
    {
        var parsed = ItemTextParser.Parse("a;g1\n;g2\nb;g1;x;y\n", "rows.CSV");

        Assert.Equal(["a", "b"], parsed.Items.Select(i => i.Key));
        Assert.Equal(["g1", "g1"], parsed.Items.Select(i => i.Group));
        Assert.Equal("""["x","y"]""", parsed.Items[1].Payload!.ToJsonString());
        Assert.Equal(["Line 2: the key is empty."], parsed.Problems);
    }

    [Fact]
    public void A_quoted_field_may_span_lines()
    {
        var parsed = ItemTextParser.Parse("key,note\nk1,\"first\nsecond\"\nk2,x", "a.csv");
        Assert.Equal(["k1", "k2"], parsed.Items.Select(i => i.Key));
        Assert.Equal("first\nsecond", parsed.Items[0].Payload!["note"]!.GetValue<string>());
    }

    [Fact]
    public void Each_item_remembers_the_line_it_starts_on_so_an_error_can_name_it()
    {
        Assert.Equal([1, 3, 4], ItemTextParser.Parse("alice\r\n\n  bob  \ncarol\n").Lines);
        Assert.Equal([2, 4], ItemTextParser.Parse("key\n\"two\nlines\"\nnext\n", "rows.csv").Lines);
        Assert.Equal([1, 3], ItemTextParser.Parse("a;g1\n;g2\nb;g1\n", "rows.csv").Lines);
    }
}
