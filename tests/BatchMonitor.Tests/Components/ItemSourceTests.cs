using BatchMonitor.Web.Components.Batches;

namespace BatchMonitor.Tests.Components;

/// <summary>What a page takes as items: Core's parser reads them (tested in Importing/); this is what the page adds.</summary>
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
    public void A_csv_file_with_a_header_takes_its_key_and_group_columns_and_keeps_the_rest_as_payload()
    {
        var parsed = ItemSource.FromFile("accounts.CSV", "name,group,key\nAlice,siel,\"alice, the first\"\nBob,,bob\n");

        Assert.Equal(["alice, the first", "bob"], parsed.Items.Select(i => i.Key));
        Assert.Equal(["siel", null], parsed.Items.Select(i => i.Group));
        Assert.Equal("""{"name":"Alice"}""", parsed.Items[0].Payload!.ToJsonString());
        Assert.Equal(1, ItemSource.Groups(parsed));
        Assert.Equal([2, 3], parsed.Lines);
    }

    [Fact]
    public void A_txt_file_is_one_key_per_line_even_with_commas()
    {
        var parsed = ItemSource.FromFile("keys.txt", "k1,x\n\nk2\n");

        Assert.Equal(["k1,x", "k2"], parsed.Items.Select(i => i.Key));
        Assert.Equal([1, 3], parsed.Lines);
    }

    [Fact]
    public void Another_kind_of_file_is_refused_with_a_reason()
    {
        var parsed = ItemSource.FromFile("data.xlsx", "PK...");

        Assert.Empty(parsed.Items);
        Assert.Contains(".csv", Assert.Single(parsed.Problems));
    }
}
