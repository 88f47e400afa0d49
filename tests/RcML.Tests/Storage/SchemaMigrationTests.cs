using System.Data.Common;
using FluentAssertions;
using Microsoft.Data.Sqlite;
using Npgsql;
using RcML.AutoML;
using RcML.Storage;
using Xunit;

namespace RcML.Tests.Storage;

/// <summary>Opening migrates old databases in order, once, even with several openers; newer ones are refused.</summary>
public abstract class SchemaMigrationTests
{
    private const string Space = """{"lr":{"type":"float","low":0.001,"high":0.1}}""";

    protected abstract string NewDatabase();
    protected abstract SqlStudyStorage Open(string url, int schemaVersion);
    protected abstract DbConnection Connect(string url);

    private long Count(string url, string sql)
    {
        using var c = Connect(url);
        using var command = c.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar());
    }

    [Fact]
    public void An_old_database_is_migrated_and_keeps_its_trials()
    {
        var url = NewDatabase();
        int trialId;
        using (var v1 = Open(url, 1))
        {
            v1.SchemaVersion().Should().Be(1);
            var study = v1.GetOrCreateStudy("old", Space);
            trialId = v1.StartTrial(study.StudyId, new Parameter([new("lr", 0.01)]), 3, "w").TrialId;
            v1.FinishTrial(trialId, TrialState.Complete, 0.5).Should().BeTrue();
            var act = () => v1.SaveModel(trialId, [1]);
            act.Should().Throw<StudyStorageException>("version 1 has no trial_models table");
        }
        using (var latest = Open(url, StudySchema.Latest))
        {
            latest.SchemaVersion().Should().Be(StudySchema.Latest);
            var study = latest.FindStudy("old")!;
            latest.GetTrials(study.StudyId).Single().Value.Should().Be(0.5);
            latest.SaveModel(trialId, [1, 2]);
            latest.LoadModel(trialId).Should().Equal(1, 2);
            latest.StartTrial(study.StudyId, Parameter.Empty, 0, "w").Number.Should().Be(1);
        }
        using (Open(url, StudySchema.Latest)) { }
        Count(url, "SELECT COUNT(*) FROM schema_version").Should().Be(StudySchema.Latest, "each migration is recorded once");
    }

    [Fact]
    public void Concurrent_openers_migrate_once()
    {
        var url = NewDatabase();
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            using var s = Open(url, StudySchema.Latest);
            s.GetOrCreateStudy("shared", Space);
        });
        Count(url, "SELECT COUNT(*) FROM schema_version").Should().Be(StudySchema.Latest);
        Count(url, "SELECT COUNT(*) FROM studies").Should().Be(1);
    }

    [Fact]
    public void A_newer_database_is_refused_clearly()
    {
        var url = NewDatabase();
        using (Open(url, StudySchema.Latest)) { }
        using (var c = Connect(url))
        using (var command = c.CreateCommand())
        {
            command.CommandText = "INSERT INTO schema_version (version, description, applied_us) VALUES (99, 'from the future', 0)";
            command.ExecuteNonQuery();
        }
        var act = () => Open(url, StudySchema.Latest);
        act.Should().Throw<StudyStorageException>().WithMessage("*schema version 99*newer than this RcML supports*Upgrade RcML*");
    }
}

public sealed class SqliteSchemaMigrationTests : SchemaMigrationTests, IDisposable
{
    private readonly TempFolder _folder = new();
    private int _n;

    protected override string NewDatabase() => _folder.File($"study{++_n}.db");
    protected override SqlStudyStorage Open(string url, int schemaVersion) => new SqliteStudyStorage(url, null, schemaVersion);

    protected override DbConnection Connect(string url)
    {
        var c = new SqliteConnection($"Data Source={url};Pooling=False");
        c.Open();
        return c;
    }

    public void Dispose() => _folder.Dispose();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresSchemaMigrationTests(PostgresServer server) : SchemaMigrationTests
{
    protected override string NewDatabase() => server.CreateDatabase();
    protected override SqlStudyStorage Open(string url, int schemaVersion) => new PostgresStudyStorage(url, schemaVersion);

    protected override DbConnection Connect(string url)
    {
        var c = new NpgsqlConnection(PostgresUrl.ToConnectionString(url).ToString());
        c.Open();
        return c;
    }
}
