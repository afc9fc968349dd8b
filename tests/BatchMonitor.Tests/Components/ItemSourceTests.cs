using BatchMonitor.Web.Components.Batches;

namespace BatchMonitor.Tests.Components;

public sealed class ItemSourceTests
{
    [Fact]
    public void Pasted_lines_become_keys_skipping_blank_lines_and_remembering_line_numbers()
    {
        var parsed = ItemSource.FromLines("alice\r\n\n  bob  \ncarol\n");

        Assert.Equal(["alice", "bob", "carol"], parsed.Items.Select(i => i.Key));
        Assert.Equal([1, 3, 4], parsed.Lines);
    }

    [Fact]
    public void A_csv_file_with_a_header_takes_its_key_and_group_columns()
    {
        var parsed = ItemSource.FromFile("accounts.csv", "name,group,key\nAlice,siel,\"alice, the first\"\nBob,,bob\n");

        Assert.Equal(["alice, the first", "bob"], parsed.Items.Select(i => i.Key));
        Assert.Equal(["siel", null], parsed.Items.Select(i => i.Group));
        Assert.Equal(1, parsed.Groups);
        Assert.Equal([2, 3], parsed.Lines);
    }

    [Fact]
    public void A_csv_file_without_a_header_uses_its_first_column_as_the_key()
    {
        var parsed = ItemSource.FromFile("rows.csv", "k1,x\nk2,y\n\"k\"\"3\",z");

        Assert.Equal(["k1", "k2", "k\"3"], parsed.Items.Select(i => i.Key));
        Assert.All(parsed.Items, i => Assert.Null(i.Group));
    }

    [Fact]
    public void A_quoted_field_may_span_lines_and_the_next_row_keeps_its_own_line_number()
    {
        var parsed = ItemSource.FromFile("rows.csv", "key\n\"two\nlines\"\nnext\n");

        Assert.Equal(["two\nlines", "next"], parsed.Items.Select(i => i.Key));
        Assert.Equal([2, 4], parsed.Lines);
    }

    [Fact]
    public void Another_kind_of_file_is_refused_with_a_reason()
    {
        var parsed = ItemSource.FromFile("data.xlsx", "PK...");

        Assert.Empty(parsed.Items);
        Assert.Contains(".csv", parsed.Problem);
    }
}
