using BatchMonitor.Tests.Support;

namespace BatchMonitor.Tests.Postgres;

// The engine, storage, ledger-race, service, dataset and schedule suites, run again on PostgreSQL: each class below is
// the suite of the same name with its Store set to PostgreSQL (a database per test, from PostgresServer). No test code
// is copied; a suite added to this list runs on both providers.

public sealed class BatchEngineTestsOnPostgres : Engine.BatchEngineTests
{
    protected override TestStore Store => TestStore.Postgres;
}

public sealed class BatchRunnerTestsOnPostgres : Engine.BatchRunnerTests
{
    protected override TestStore Store => TestStore.Postgres;
}

public sealed class GroupFailureTestsOnPostgres : Engine.GroupFailureTests
{
    protected override TestStore Store => TestStore.Postgres;
}

public sealed class EngineWriterTestsOnPostgres : Engine.EngineWriterTests
{
    protected override TestStore Store => TestStore.Postgres;
}

public sealed class ItemLedgerRaceTestsOnPostgres : Engine.ItemLedgerRaceTests
{
    protected override TestStore Store => TestStore.Postgres;
}

public sealed class PacerTestsOnPostgres : Engine.PacerTests
{
    protected override TestStore Store => TestStore.Postgres;
}

public sealed class RestartBackoffTestsOnPostgres : Engine.RestartBackoffTests
{
    protected override TestStore Store => TestStore.Postgres;
}

public sealed class ItemLedgerTestsOnPostgres : Storage.ItemLedgerTests
{
    protected override TestStore Store => TestStore.Postgres;
}

public sealed class BatchServiceQueryTestsOnPostgres : Services.BatchServiceQueryTests
{
    protected override TestStore Store => TestStore.Postgres;
}

public sealed class BatchServiceCreateTestsOnPostgres : Services.BatchServiceCreateTests
{
    protected override TestStore Store => TestStore.Postgres;
}

public sealed class DatasetServiceTestsOnPostgres : Datasets.DatasetServiceTests
{
    protected override TestStore Store => TestStore.Postgres;
}

public sealed class DatasetOutcomeTestsOnPostgres : Datasets.DatasetOutcomeTests
{
    protected override TestStore Store => TestStore.Postgres;
}

public sealed class DatasetSelectionTestsOnPostgres : Datasets.DatasetSelectionTests
{
    protected override TestStore Store => TestStore.Postgres;
}

public sealed class ScheduleServiceTestsOnPostgres : Scheduling.ScheduleServiceTests
{
    protected override TestStore Store => TestStore.Postgres;
}

public sealed class SeedScenarioTestsOnPostgres : Scheduling.SeedScenarioTests
{
    protected override TestStore Store => TestStore.Postgres;
}

public sealed class ScheduleEventsTestsOnPostgres : Scheduling.ScheduleEventsTests
{
    protected override TestStore Store => TestStore.Postgres;
}

public sealed class ScheduleFiringTestsOnPostgres : Scheduling.ScheduleFiringTests
{
    protected override TestStore Store => TestStore.Postgres;
}

public sealed class ViewerCommandTestsOnPostgres : Access.ViewerCommandTests
{
    protected override TestStore Store => TestStore.Postgres;
}

// A representative slice of the API on PostgreSQL (batches, datasets, schedules, the hub, users, sign-in):
// each class is the suite of the same name on an app whose store is PostgreSQL. The rest of the API suites (request
// parsing, headers, security, Kestrel limits) do not touch the store beyond what these cover, and run on SQLite only.

public sealed class BatchLifecycleTestsOnPostgres(PostgresBatchMonitorApp app) : Web.Endpoints.BatchLifecycleTests(app), IClassFixture<PostgresBatchMonitorApp>;

public sealed class DatasetEndpointTestsOnPostgres(PostgresBatchMonitorApp app) : Web.Endpoints.DatasetEndpointTests(app), IClassFixture<PostgresBatchMonitorApp>;

public sealed class ScheduleApiTestsOnPostgres(PostgresBatchMonitorApp app) : Web.Endpoints.ScheduleApiTests(app), IClassFixture<PostgresBatchMonitorApp>;

public sealed class BatchHubTestsOnPostgres(PostgresBatchMonitorApp app) : Web.Hubs.BatchHubTests(app), IClassFixture<PostgresBatchMonitorApp>;

public sealed class UserEndpointTestsOnPostgres(PostgresBatchMonitorApp app) : Web.Endpoints.UserEndpointTests(app), IClassFixture<PostgresBatchMonitorApp>;

public sealed class SignInTestsOnPostgres(PostgresBatchMonitorApp app) : Web.Auth.SignInTests(app), IClassFixture<PostgresBatchMonitorApp>;

public sealed class NodeTestsOnPostgres : Engine.NodeTests
{
    protected override TestStore Store => TestStore.Postgres;
}

public sealed class AttemptLedgerTestsOnPostgres : Storage.AttemptLedgerTests
{
    protected override TestStore Store => TestStore.Postgres;
}

public sealed class BatchSearchTestsOnPostgres : Services.BatchSearchTests
{
    protected override TestStore Store => TestStore.Postgres;
}

public sealed class AttemptEngineTestsOnPostgres : Engine.AttemptEngineTests
{
    protected override TestStore Store => TestStore.Postgres;
}

public sealed class AuditTrailTestsOnPostgres : Audit.AuditTrailTests
{
    protected override TestStore Store => TestStore.Postgres;
}

public sealed class BatchListTestsOnPostgres : Services.BatchListTests
{
    protected override TestStore Store => TestStore.Postgres;
}

public sealed class EngineMetricsTestsOnPostgres : Telemetry.EngineMetricsTests
{
    protected override TestStore Store => TestStore.Postgres;
}

public sealed class RollupLedgerTestsOnPostgres : Rollups.RollupLedgerTests
{
    protected override TestStore Store => TestStore.Postgres;
}

public sealed class RollupSamplerTestsOnPostgres : Rollups.RollupSamplerTests
{
    protected override TestStore Store => TestStore.Postgres;
}

public sealed class HistoryReaderTestsOnPostgres : Rollups.HistoryReaderTests
{
    protected override TestStore Store => TestStore.Postgres;
}

public sealed class BatchLogTestsOnPostgres : Services.BatchLogTests
{
    protected override TestStore Store => TestStore.Postgres;
}

public sealed class FailureLogTestsOnPostgres : Engine.FailureLogTests
{
    protected override TestStore Store => TestStore.Postgres;
}
