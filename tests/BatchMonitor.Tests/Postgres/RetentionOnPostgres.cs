using BatchMonitor.Tests.Support;

namespace BatchMonitor.Tests.Postgres;

public sealed class RetentionPrunerTestsOnPostgres : Retention.RetentionPrunerTests
{
    protected override TestStore Store => TestStore.Postgres;
}
