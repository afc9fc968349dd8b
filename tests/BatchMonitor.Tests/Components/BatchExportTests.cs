using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Views;
using BatchMonitor.Web.Components.Batches;
using System.Text;
using System.Text.Json;

namespace BatchMonitor.Tests.Components;

public sealed class BatchExportTests
{
    private static async IAsyncEnumerable<ItemView> Items()
    {
        yield return new ItemView { Index = 0, Key = "plain", Status = ItemStatus.Succeeded, Attempts = 1, DurationMs = 12, ResultJson = """{"score":1}""" };
        yield return new ItemView { Index = 1, Key = "with, comma", Group = "g", Status = ItemStatus.Failed, Attempts = 3, Error = "said \"no\"\nthen stopped" };
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Csv_quotes_fields_with_commas_quotes_and_line_breaks()
    {
        using var stream = new MemoryStream();

        await BatchExport.WriteCsvAsync(Items(), stream);

        var lines = Encoding.UTF8.GetString(stream.ToArray()).Split(Environment.NewLine);
        Assert.Equal("index,key,group,status,attempts,startedAt,finishedAt,durationMs,error,result", lines[0]);
        Assert.Equal("0,plain,,succeeded,1,,,12,,\"{\"\"score\"\":1}\"", lines[1]);
        Assert.Equal("1,\"with, comma\",g,failed,3,,,,\"said \"\"no\"\"\nthen stopped\",", lines[2] + "\n" + lines[3]);
    }

    [Fact]
    public async Task Json_is_an_array_of_items_in_the_api_shape()
    {
        using var stream = new MemoryStream();

        await BatchExport.WriteJsonAsync(Items(), stream);

        using var json = JsonDocument.Parse(stream.ToArray());
        var items = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.Equal("succeeded", items[0].GetProperty("status").GetString());
        Assert.Equal(1, items[0].GetProperty("result").GetProperty("score").GetInt32());
        Assert.Equal("with, comma", items[1].GetProperty("key").GetString());
    }
}
