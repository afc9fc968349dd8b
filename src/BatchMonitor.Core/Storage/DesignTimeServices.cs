using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Sqlite.Design.Internal;
using Microsoft.EntityFrameworkCore.Sqlite.Metadata;
using Microsoft.EntityFrameworkCore.Sqlite.Metadata.Internal;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Core.Storage;

/// <summary>
/// What <c>dotnet ef</c> needs beyond SQLite's own design-time services; only the tools load this. The tools call it
/// for every context, PostgreSQL's too: there the provider's own code generator stays.
/// </summary>
internal sealed class DesignTimeServices : IDesignTimeServices
{
    public void ConfigureDesignTimeServices(IServiceCollection services)
    {
#pragma warning disable EF1001
        if (services.Any(d => d.ServiceType == typeof(IAnnotationCodeGenerator) && d.ImplementationType == typeof(SqliteAnnotationCodeGenerator)))
#pragma warning restore EF1001
            services.AddSingleton<IAnnotationCodeGenerator, RowidKeyAnnotationCodeGenerator>();
    }
}

/// <summary>
/// batch_items.id and dataset_rows.id are plain rowid keys, without AUTOINCREMENT (it slows every insert):
/// <c>Sqlite:ValueGenerationStrategy = None</c> in their configuration. EF 10's SQLite code generator drops that
/// annotation from the model snapshot (it writes only <c>UseAutoincrement()</c>), so the snapshot read back gives
/// those keys AUTOINCREMENT again and every new migration would try to alter them. This one keeps the annotation.
/// </summary>
#pragma warning disable EF1001 // SqliteAnnotationCodeGenerator is internal to EF; only the tools run this code.
internal sealed class RowidKeyAnnotationCodeGenerator(AnnotationCodeGeneratorDependencies dependencies)
    : SqliteAnnotationCodeGenerator(dependencies)
{
    public override IReadOnlyList<MethodCallCodeFragment> GenerateFluentApiCalls(IProperty property, IDictionary<string, IAnnotation> annotations)
    {
        // Left in the dictionary, a None strategy is written as HasAnnotation(...) with the others it does not handle.
        if (annotations.TryGetValue(SqliteAnnotationNames.ValueGenerationStrategy, out var strategy)
            && strategy.Value is SqliteValueGenerationStrategy.None)
        {
            annotations.Remove(strategy.Name);
            var fragments = base.GenerateFluentApiCalls(property, annotations);
            annotations[strategy.Name] = strategy;
            return fragments;
        }
        return base.GenerateFluentApiCalls(property, annotations);
    }
}
#pragma warning restore EF1001
