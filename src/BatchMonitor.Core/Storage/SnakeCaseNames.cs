using BatchMonitor.Core.Domain;
using Microsoft.EntityFrameworkCore;

namespace BatchMonitor.Core.Storage;

/// <summary>Gives every column the snake_case form of its property name unless a configuration named it.</summary>
internal static class SnakeCaseNames
{
    public static void Apply(ModelBuilder modelBuilder)
    {
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                if (property.FindAnnotation("Relational:ColumnName") is null)
                    property.SetColumnName(StatusNames.ToSnake(property.Name));
            }
        }
    }
}
