using System.Collections.Concurrent;
using System.Diagnostics;
using FluentAssertions;
using Microsoft.ML;
using RcML.AutoML;
using RcML.Committor;
using RcML.Data;
using RcML.Storage;
using Xunit;

namespace RcML.Tests.AutoML;

/// <summary>
/// A trial's identity (its study number, in the store, the tuner and the monitor, with the seed derived from it), the
/// trial budget over finished trials when workers die, and cancellation reaching the training loop.
/// </summary>
public class TrialLifecycleTests : SmallStudyTests
{
    private static SearchSpace Space() => new SearchSpace().AddInt("nodes_1", 4, 16).AddFloat("learning_rate", 1e-3, 3e-2, log: true);

    private CommittorExperiment Experiment(IStudyStorage storage, string study, int epochs = 20) =>
        TestStudies.Experiment(_ml, _data, Space(), new CommittorTrainerOptions { MaxEpochs = epochs, Patience = epochs, HiddenLayers = 1 }, storage, study)
            .SetSeed(7);

    [Fact]
    public async Task Trial_numbers_are_one_identity_and_seed_the_same_trial_alike_with_one_or_two_workers()
    {
        var url = "sqlite:///" + _dir.File("identity.db");
        using var storage = StudyStorage.Open(url);
        var tuner = new ByNumberTuner();
        var monitor = new NumberMonitor();
        await Experiment(storage, "one").SetTuner(tuner).SetMonitor(monitor).SetMaxTrials(6).RunAsync();

        // Two workers on one study: each run its own tuner and monitor.
        var tuners = new[] { new ByNumberTuner(), new ByNumberTuner() };
        var monitors = new[] { new NumberMonitor(), new NumberMonitor() };
        using var second = StudyStorage.Open(url);
        IStudyStorage[] stores = [storage, second];
        await Task.WhenAll(Enumerable.Range(0, 2).Select(w =>
            Experiment(stores[w], "two").SetTuner(tuners[w]).SetMonitor(monitors[w]).SetMaxTrials(6).RunAsync()));

        var one = storage.GetTrials(storage.FindStudy("one")!.StudyId);
        var two = storage.GetTrials(storage.FindStudy("two")!.StudyId);
        one.Select(t => t.Number).Should().Equal(Enumerable.Range(0, 6));
        two.Select(t => t.Number).Should().Equal(Enumerable.Range(0, 6));
        foreach (var (a, b) in one.Zip(two))
        {
            a.Seed.Should().Be(CommittorExperiment.TrialSeed(7, a.Number));
            b.Seed.Should().Be(a.Seed, $"trial {a.Number} has one seed whichever worker ran it");
            b.Parameters.Equals(ByNumberTuner.Of(b.Number)).Should().BeTrue("the tuner proposed knowing the trial's number");
            b.Value.Should().Be(a.Value, $"trial {a.Number}: same parameters and seed, same loss");
        }
        tuner.Proposed.Should().Equal(Enumerable.Range(0, 6));
        tuners.SelectMany(t => t.Proposed).Order().Should().Equal(Enumerable.Range(0, 6));
        monitor.Started.Order().Should().Equal(Enumerable.Range(0, 6));
        monitors.SelectMany(m => m.Started).Order().Should().Equal(Enumerable.Range(0, 6));
        monitors.SelectMany(m => m.Finished).Order().Should().Equal(Enumerable.Range(0, 6));
    }

    [Fact]
    public async Task The_budget_counts_finished_trials_and_replaces_those_of_dead_workers()
    {
        using var storage = new InMemoryStudyStorage();
        var study = storage.GetOrCreateStudy("s", Space().ToJson());
        // A worker on this machine that has exited, and one elsewhere that stopped beating.
        var dead = storage.StartTrial(study.StudyId, ByNumberTuner.Of(0), 7, $"{Environment.MachineName}:{DeadPid()}");
        var remote = storage.StartTrial(study.StudyId, ByNumberTuner.Of(1), 8, "elsewhere:1");

        var monitor = new NumberMonitor();
        var result = await Experiment(storage, "s").SetTuner(new ByNumberTuner()).SetMonitor(monitor)
            .SetHeartbeat(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1)).SetMaxTrials(4).RunAsync();

        var trials = storage.GetTrials(study.StudyId);
        trials.Single(t => t.TrialId == dead.TrialId).Error.Should().Be(AbandonedTrials.WorkerExitedError);
        trials.Single(t => t.TrialId == remote.TrialId).Error.Should().Be(StudyStorage.HeartbeatTimeoutError);
        trials.Should().HaveCount(4).And.OnlyContain(t => t.State != TrialState.Running);
        trials.Count(t => t.State == TrialState.Complete).Should().Be(2, "two trials failed with their workers, so two more ran");
        result.TrialsThisRun.Should().Be(2);
        monitor.Best.Should().Be(result.BestStoredTrial.Number);
    }

    [Fact]
    public async Task Cancelling_stops_the_running_trial_within_an_epoch_and_keeps_the_study_best()
    {
        using var storage = new InMemoryStudyStorage();
        await Experiment(storage, "s").SetTuner(new ByNumberTuner()).SetMaxTrials(2).RunAsync();

        using var cancel = new CancellationTokenSource();
        var monitor = new NumberMonitor { OnStarted = _ => cancel.CancelAfter(TimeSpan.FromSeconds(1)) };
        var result = await Experiment(storage, "s", epochs: 1_000_000).SetTuner(new ByNumberTuner()).SetMonitor(monitor)
            .SetMaxTrials(10).RunAsync(cancel.Token);

        result.Interrupted.Should().BeTrue();
        result.Trials.Should().HaveCount(3);
        var cut = result.Trials[2];
        cut.State.Should().Be(TrialState.Failed);
        cut.Error.Should().Be(CommittorExperiment.InterruptedError);
        cut.Curve.Count.Should().BeInRange(1, 999_999, "the cancellation reached the training loop");
        result.TrialsThisRun.Should().Be(0);
        monitor.Best.Should().Be(result.BestStoredTrial.Number, "the monitor heard the study's best from the earlier run");
        result.BestStoredTrial.Number.Should().BeLessThan(2);
        result.BestTrial.Model.Should().NotBeNull("the earlier run's best model is loaded from the store");

        var nothingYet = () => Experiment(new InMemoryStudyStorage(), "s", epochs: 1_000_000).SetTuner(new ByNumberTuner())
            .SetMonitor(monitor).SetMaxTrials(1).RunAsync(new CancellationTokenSource(TimeSpan.FromSeconds(1)).Token);
        await nothingYet.Should().ThrowAsync<OperationCanceledException>("no trial completed, so nothing is kept");
    }

    private static int DeadPid()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        return process.Id;
    }

    /// <summary>Proposes from the trial number alone, so the same number gets the same parameters in any run.</summary>
    private sealed class ByNumberTuner : ITuner
    {
        public ConcurrentQueue<int> Proposed { get; } = new();

        public static Parameter Of(int number) =>
            new(new Dictionary<string, object> { ["nodes_1"] = 4 + number % 5, ["learning_rate"] = 0.002 * (1 + number % 4) });

        public Parameter Propose(TrialSettings settings)
        {
            Proposed.Enqueue(settings.TrialId);
            return Of(settings.TrialId);
        }

        public void Update(TrialResult result) { }
    }

    private sealed class NumberMonitor : IMonitor
    {
        public ConcurrentQueue<int> Started { get; } = new();
        public ConcurrentQueue<int> Finished { get; } = new();
        public int? Best;
        public Action<int>? OnStarted { get; init; }
        public void ReportRunningTrial(TrialSettings settings) { Started.Enqueue(settings.TrialId); OnStarted?.Invoke(settings.TrialId); }
        public void ReportCompletedTrial(TrialResult result) => Finished.Enqueue(result.TrialSettings.TrialId);
        public void ReportBestTrial(TrialResult result) => Best = result.TrialSettings.TrialId;
        public void ReportFailTrial(TrialSettings settings, Exception? exception = null) => Finished.Enqueue(settings.TrialId);
    }

}
