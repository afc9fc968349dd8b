namespace BatchMonitor.Core.Domain;

/// <summary>A named, persistent list of rows that batches run over again and again (all, pending, a page, a selection).</summary>
public sealed class Dataset
{
    private Dataset()
    {
        Name = "";
    }

    public Dataset(Guid id, string name, DateTime createdAt, string? createdBy)
    {
        Id = id;
        Name = name;
        CreatedAt = createdAt;
        UpdatedAt = createdAt;
        CreatedBy = createdBy;
    }

    public Guid Id { get; private set; }
    public string Name { get; private set; }
    public int RowCount { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }
    public string? CreatedBy { get; private set; }

    public void Rename(string name, DateTime now)
    {
        Name = name;
        UpdatedAt = now;
    }

    public void Appended(int rows, DateTime now)
    {
        RowCount += rows;
        UpdatedAt = now;
    }
}
