using FluentAssertions;
using RcML.AutoML;
using RcML.Storage;
using Xunit;

namespace RcML.Tests.Storage;

/// <summary>What every <see cref="IStudyStorage"/> must do; run against each store by the subclasses below.</summary>
public abstract class StudyStorageConformanceTests : IDisposable
{
    protected const string Space = """{"lr":{"type":"float","low":0.0001,"high":0.1,"log":true},"layers":{"type":"int","low":1,"high":4}}""";
    private readonly Lazy<IStudyStorage> _storage;

    protected StudyStorageConformanceTests() => _storage = new(CreateStorage);

    /// <summary>A fresh, empty store.</summary>
    protected abstract IStudyStorage CreateStorage();

    protected IStudyStorage Storage => _storage.Value;

    private static Parameter Params(double lr = 0.01, int layers = 2) =>
        new([new("lr", lr), new("layers", layers), new("activation", "tanh"), new("batch_norm", true)]);

    [Fact]
    public void Creates_finds_and_rejoins_a_study()
    {
        var attributes = new Dictionary<string, string> { ["data"] = "shots.csv", ["tuner"] = "gp" };
        var created = Storage.GetOrCreateStudy("s1", Space, attributes);
        created.Name.Should().Be("s1");
        created.SearchSpaceJson.Should().Be(Space);
        created.Attributes.Should().BeEquivalentTo(attributes);
        created.CreatedUtc.Should().BeCloseTo(DateTime.UtcNow, TimeSpan.FromMinutes(1));

        var reformatted = System.Text.Json.Nodes.JsonNode.Parse(Space)!.ToJsonString(new() { WriteIndented = true });
        var joined = Storage.GetOrCreateStudy("s1", reformatted);
        joined.StudyId.Should().Be(created.StudyId);
        joined.Attributes.Should().BeEquivalentTo(attributes, "an existing study keeps its attributes");

        Storage.FindStudy("s1")!.StudyId.Should().Be(created.StudyId);
        Storage.FindStudy("missing").Should().BeNull();
    }

    [Fact]
    public void Joining_with_another_search_space_is_an_error()
    {
        Storage.GetOrCreateStudy("s1", Space);
        var act = () => Storage.GetOrCreateStudy("s1", """{"lr":{"type":"float","low":0.1,"high":1}}""");
        act.Should().Throw<StudyStorageException>().WithMessage("*'s1'*different search space*");
    }

    [Fact]
    public void Lists_studies_in_creation_order()
    {
        Storage.ListStudies().Should().BeEmpty();
        Storage.GetOrCreateStudy("b", Space, new Dictionary<string, string> { ["k"] = "v" });
        Storage.GetOrCreateStudy("a", Space);
        var list = Storage.ListStudies();
        list.Select(s => s.Name).Should().Equal("b", "a");
        list[0].Attributes.Should().ContainKey("k");
        list[1].Attributes.Should().BeEmpty();
    }

    [Fact]
    public void Trial_numbers_are_dense_per_study_across_threads()
    {
        var s1 = Storage.GetOrCreateStudy("s1", Space);
        var s2 = Storage.GetOrCreateStudy("s2", Space);
        Storage.StartTrial(s2.StudyId, Params(), 0, "w").Number.Should().Be(0);
        var numbers = new System.Collections.Concurrent.ConcurrentBag<int>();
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, w =>
        {
            for (var i = 0; i < 10; i++) numbers.Add(Storage.StartTrial(s1.StudyId, Params(), i, $"w{w}").Number);
        });
        numbers.Order().Should().Equal(Enumerable.Range(0, 40));
        Storage.GetTrials(s1.StudyId).Select(t => t.Number).Should().Equal(Enumerable.Range(0, 40));
        Storage.StartTrial(s2.StudyId, Params(), 0, "w").Number.Should().Be(1);
    }

    [Fact]
    public void A_trial_round_trips_and_finishes()
    {
        var study = Storage.GetOrCreateStudy("s1", Space);
        var p = Params(lr: 0.00123, layers: 3);
        var started = Storage.StartTrial(study.StudyId, p, 42, "host:1");
        started.State.Should().Be(TrialState.Running);
        started.Value.Should().BeNull();
        started.FinishedUtc.Should().BeNull();
        started.StartedUtc.Should().BeCloseTo(DateTime.UtcNow, TimeSpan.FromMinutes(1));

        Storage.FinishTrial(started.TrialId, TrialState.Complete, 0.25).Should().BeTrue();
        var pruned = Storage.StartTrial(study.StudyId, Params(), 1, "host:2");
        Storage.FinishTrial(pruned.TrialId, TrialState.Pruned, 0.5).Should().BeTrue();
        var failed = Storage.StartTrial(study.StudyId, Params(), 2, "host:2");
        Storage.FinishTrial(failed.TrialId, TrialState.Failed, null, "diverged").Should().BeTrue();

        var trials = Storage.GetTrials(study.StudyId);
        trials.Select(t => t.State).Should().Equal(TrialState.Complete, TrialState.Pruned, TrialState.Failed);
        var t0 = trials[0];
        t0.TrialId.Should().Be(started.TrialId);
        t0.StudyId.Should().Be(study.StudyId);
        t0.Parameters.Equals(p).Should().BeTrue();
        t0.Parameters["layers"].Should().BeOfType<int>();
        t0.Value.Should().Be(0.25);
        t0.Seed.Should().Be(42);
        t0.Worker.Should().Be("host:1");
        t0.FinishedUtc.Should().NotBeNull();
        t0.DurationSeconds.Should().BeGreaterThanOrEqualTo(0);
        trials[2].Value.Should().BeNull();
        trials[2].Error.Should().Be("diverged");
        Storage.FinishTrial(started.TrialId, TrialState.Failed, null).Should().BeFalse("a finished trial stays finished");
        Storage.GetTrials(study.StudyId)[0].State.Should().Be(TrialState.Complete);
    }

    [Fact]
    public void Intermediate_values_form_the_curve_and_beat_the_heart()
    {
        var study = Storage.GetOrCreateStudy("s1", Space);
        var trial = Storage.StartTrial(study.StudyId, Params(), 0, "w");
        Storage.ReportIntermediate(trial.TrialId, 0, 0.9);
        Storage.ReportIntermediate(trial.TrialId, 2, 0.5);
        Storage.ReportIntermediate(trial.TrialId, 1, 0.8);
        Storage.ReportIntermediate(trial.TrialId, 1, 0.7); // a step reported again keeps the last value
        Storage.ReportIntermediate(trial.TrialId, 3, double.NaN);
        var other = Storage.StartTrial(study.StudyId, Params(), 0, "w");
        Storage.ReportIntermediate(other.TrialId, 0, 2.0);

        var stored = Storage.GetTrials(study.StudyId);
        stored[0].Curve.Should().Equal(0.9, 0.7, 0.5, double.NaN);
        stored[0].HeartbeatUtc.Should().NotBeNull();
        stored[1].Curve.Should().Equal(2.0);

        Storage.FinishTrial(trial.TrialId, TrialState.Pruned, 0.5);
        Storage.ReportIntermediate(trial.TrialId, 4, 0.1);
        Storage.GetTrials(study.StudyId)[0].Curve.Should().HaveCount(4, "a finished trial takes no more values");
    }

    [Fact]
    public void A_trial_started_before_its_proposal_gets_parameters_and_seed_while_running()
    {
        var study = Storage.GetOrCreateStudy("s1", Space);
        var trial = Storage.StartTrial(study.StudyId, Parameter.Empty, 0, "w");
        Storage.SetTrialParameters(trial.TrialId, Params(lr: 0.005), 17);
        var read = Storage.GetTrials(study.StudyId).Single();
        read.Parameters.Equals(Params(lr: 0.005)).Should().BeTrue();
        read.Seed.Should().Be(17);

        Storage.FinishTrial(trial.TrialId, TrialState.Complete, 0.5).Should().BeTrue();
        Storage.SetTrialParameters(trial.TrialId, Params(lr: 0.09), 99);
        Storage.GetTrials(study.StudyId).Single().Seed.Should().Be(17, "a finished trial keeps what it ran with");
    }

    [Fact]
    public void Running_trials_of_exited_workers_on_this_machine_fail_at_once_and_live_ones_keep_running()
    {
        var study = Storage.GetOrCreateStudy("s1", Space);
        int exitedPid;
        using (var exited = System.Diagnostics.Process.Start("true")!)
        {
            exited.WaitForExit();
            exitedPid = exited.Id;
        }
        using var alive = System.Diagnostics.Process.Start("sleep", "60")!;
        try
        {
            var here = Environment.MachineName;
            var gone = Storage.StartTrial(study.StudyId, Params(), 0, $"{here}:{exitedPid}");
            Storage.StartTrial(study.StudyId, Params(), 1, $"{here}:{alive.Id}");
            Storage.StartTrial(study.StudyId, Params(), 2, AbandonedTrials.ThisProcess);
            Storage.StartTrial(study.StudyId, Params(), 3, $"elsewhere:{exitedPid}");

            Storage.FailAbandonedTrials(study.StudyId).Should().Be(1);
            var trials = Storage.GetTrials(study.StudyId);
            trials[0].State.Should().Be(TrialState.Failed);
            trials[0].Error.Should().Be(AbandonedTrials.WorkerExitedError);
            trials.Skip(1).Should().OnlyContain(t => t.State == TrialState.Running, "their workers live, or run elsewhere and still beat");
            Storage.FinishTrial(gone.TrialId, TrialState.Complete, 0.1).Should().BeFalse();
        }
        finally { alive.Kill(); }
    }

    [Fact]
    public void Stale_running_trials_fail_after_the_heartbeat_timeout_and_cannot_finish()
    {
        var study = Storage.GetOrCreateStudy("s1", Space);
        var silent = Storage.StartTrial(study.StudyId, Params(), 0, "w1");
        var beating = Storage.StartTrial(study.StudyId, Params(), 1, "w2");
        var done = Storage.StartTrial(study.StudyId, Params(), 2, "w3");
        Storage.FinishTrial(done.TrialId, TrialState.Complete, 1.0);
        Thread.Sleep(700);
        Storage.Heartbeat(beating.TrialId);

        Storage.FailStaleTrials(study.StudyId, TimeSpan.FromSeconds(10)).Should().Be(0);
        Storage.FailStaleTrials(study.StudyId, TimeSpan.FromMilliseconds(400)).Should().Be(1);

        var trials = Storage.GetTrials(study.StudyId);
        trials[0].State.Should().Be(TrialState.Failed);
        trials[0].Error.Should().Be(StudyStorage.HeartbeatTimeoutError);
        trials[0].FinishedUtc.Should().NotBeNull();
        trials[1].State.Should().Be(TrialState.Running);
        trials[2].State.Should().Be(TrialState.Complete);

        // The silent worker comes back: too late, its result is refused and nothing changes.
        Storage.FinishTrial(silent.TrialId, TrialState.Complete, 0.1).Should().BeFalse();
        var after = Storage.GetTrials(study.StudyId)[0];
        after.State.Should().Be(TrialState.Failed);
        after.Value.Should().BeNull();
        after.Error.Should().Be(StudyStorage.HeartbeatTimeoutError);
    }

    [Fact]
    public void Models_round_trip()
    {
        var study = Storage.GetOrCreateStudy("s1", Space);
        var trial = Storage.StartTrial(study.StudyId, Params(), 0, "w");
        Storage.LoadModel(trial.TrialId).Should().BeNull();
        var model = new byte[300_000];
        new Random(1).NextBytes(model);
        Storage.SaveModel(trial.TrialId, model);
        Storage.LoadModel(trial.TrialId).Should().Equal(model);
        Storage.SaveModel(trial.TrialId, [1, 2, 3]);
        Storage.LoadModel(trial.TrialId).Should().Equal(1, 2, 3);
        var act = () => Storage.SaveModel(987654, [1]);
        act.Should().Throw<StudyStorageException>();
    }

    [Fact]
    public void Deleting_a_study_removes_its_trials_values_and_models_only()
    {
        var doomed = Storage.GetOrCreateStudy("doomed", Space, new Dictionary<string, string> { ["k"] = "v" });
        var kept = Storage.GetOrCreateStudy("kept", Space);
        var t = Storage.StartTrial(doomed.StudyId, Params(), 0, "w");
        Storage.ReportIntermediate(t.TrialId, 0, 1.0);
        Storage.SaveModel(t.TrialId, [1, 2]);
        var k = Storage.StartTrial(kept.StudyId, Params(), 0, "w");
        Storage.ReportIntermediate(k.TrialId, 0, 3.0);
        Storage.SaveModel(k.TrialId, [3]);

        Storage.DeleteStudy("doomed").Should().BeTrue();
        Storage.DeleteStudy("doomed").Should().BeFalse();
        Storage.FindStudy("doomed").Should().BeNull();
        Storage.GetTrials(doomed.StudyId).Should().BeEmpty();
        Storage.LoadModel(t.TrialId).Should().BeNull();
        Storage.ListStudies().Select(s => s.Name).Should().Equal("kept");
        Storage.GetTrials(kept.StudyId).Single().Curve.Should().Equal(3.0);
        Storage.LoadModel(k.TrialId).Should().Equal(3);

        var again = Storage.GetOrCreateStudy("doomed", Space);
        again.Attributes.Should().BeEmpty();
        Storage.StartTrial(again.StudyId, Params(), 0, "w").Number.Should().Be(0);
    }

    public virtual void Dispose()
    {
        if (_storage.IsValueCreated) _storage.Value.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class InMemoryStudyStorageTests : StudyStorageConformanceTests
{
    protected override IStudyStorage CreateStorage() => StudyStorage.Open("memory:");
}

public sealed class SqliteStudyStorageTests : StudyStorageConformanceTests
{
    private readonly TempFolder _folder = new();

    protected override IStudyStorage CreateStorage() => StudyStorage.Open("sqlite:///" + _folder.File("study.db"));

    [Fact]
    public void Uses_the_write_ahead_log()
    {
        Storage.GetOrCreateStudy("s1", Space);
        using var c = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + _folder.File("study.db"));
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode";
        cmd.ExecuteScalar().Should().Be("wal");
    }

    public override void Dispose()
    {
        base.Dispose();
        _folder.Dispose();
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresStudyStorageTests(PostgresServer server) : StudyStorageConformanceTests
{
    protected override IStudyStorage CreateStorage() => StudyStorage.Open(server.CreateDatabase());
}
