using FluentAssertions;
using Microsoft.ML;
using RcML.AutoML;
using RcML.Committor;
using RcML.Data;
using RcML.Storage;
using Xunit;

namespace RcML.Tests.AutoML;

public class CommittorExperimentTests : SmallStudyTests
{
    private CommittorExperiment Experiment(IStudyStorage storage, string study = "s", int epochs = 25) =>
        TestStudies.Experiment(_ml, _data, TestStudies.SmallSpace(), new CommittorTrainerOptions { MaxEpochs = epochs, Patience = 10 }, storage, study)
            .SetSeed(3);

    [Fact]
    public async Task Every_trial_is_stored_with_its_curve_and_the_best_model_scores()
    {
        using var storage = new InMemoryStudyStorage();
        var monitor = new RecordingMonitor();
        var result = await Experiment(storage).SetTuner((space, seed) => new GaussianProcessTuner(space, seed))
            .SetMaxTrials(4).SetMonitor(monitor).RunAsync();

        result.Trials.Should().HaveCount(4);
        result.Trials.Select(t => t.Number).Should().Equal(0, 1, 2, 3);
        result.Trials.Should().OnlyContain(t => t.State == TrialState.Complete && t.Curve.Count > 0 && t.Value > 0);
        result.Trials.Select(t => t.Seed).Distinct().Should().HaveCount(4);
        result.BestTrial.Loss.Should().Be(result.Trials.Min(t => t.Value!.Value));
        result.BestTrial.Model.Should().NotBeNull();
        storage.LoadModel(result.BestStoredTrial.TrialId).Should().NotBeNull();
        monitor.Started.Should().Be(4);
        monitor.Completed.Should().Be(4);

        var (q, p) = CommittorModelFile.Score(result.BestTrial.Model!, _data.ToDataView());
        p.Should().OnlyContain(x => x > 0 && x < 1);
        q.Should().HaveCount(_data.Count);
    }

    [Fact]
    public async Task A_study_resumes_counting_finished_trials_and_warm_starts_a_custom_tuner()
    {
        using var storage = new InMemoryStudyStorage();
        var first = await Experiment(storage).SetTuner((space, seed) => new RandomSearchTuner(space, seed)).SetMaxTrials(2).RunAsync();
        first.TrialsThisRun.Should().Be(2);

        var tuner = new CountingTuner(new RandomSearchTuner(TestStudies.SmallSpace(), 5));
        var second = await Experiment(storage).SetTuner(tuner).SetMaxTrials(3).RunAsync();
        second.TrialsThisRun.Should().Be(1);
        second.Trials.Should().HaveCount(3);
        tuner.Updates.Should().Be(3, "two stored trials warm-start the tuner, then its own trial");
        tuner.Proposals.Should().Be(1);
    }

    [Fact]
    public async Task A_diverging_trial_is_recorded_as_failed_and_the_study_goes_on()
    {
        using var storage = new InMemoryStudyStorage();
        var tuner = new ScriptedTuner(
            new Parameter(new Dictionary<string, object> { ["layers"] = 1, ["nodes_1"] = 8, ["learning_rate"] = 1e12, ["activation"] = "tanh" }),
            new Parameter(new Dictionary<string, object> { ["layers"] = 1, ["nodes_1"] = 8, ["learning_rate"] = 1e-2, ["activation"] = "tanh" }));
        var monitor = new RecordingMonitor();
        var result = await Experiment(storage).SetTuner(tuner).SetMaxTrials(2).SetMonitor(monitor).RunAsync();

        result.Trials.Select(t => t.State).Should().Contain(TrialState.Complete);
        var failed = result.Trials.Where(t => t.State == TrialState.Failed).ToList();
        if (failed.Count > 0) failed[0].Error.Should().NotBeNullOrEmpty();
        monitor.Failed.Should().Be(failed.Count);
        result.BestStoredTrial.Parameters.GetDouble("learning_rate").Should().Be(1e-2);
        tuner.Results.Should().HaveCount(2);
    }

    [Fact]
    public async Task Pruned_trials_stop_early_and_keep_their_best_intermediate_value()
    {
        using var storage = new InMemoryStudyStorage();
        var result = await Experiment(storage, epochs: 60).SetTuner((space, seed) => new RandomSearchTuner(space, seed))
            .SetPruner(new PruneAfter(5, fromTrial: 1)).SetMaxTrials(3).RunAsync();
        var pruned = result.Trials.Where(t => t.State == TrialState.Pruned).ToList();
        pruned.Should().HaveCount(2);
        pruned.Should().OnlyContain(t => t.Curve.Count == 5 && t.Value == t.Curve.Min());
        result.BestStoredTrial.State.Should().Be(TrialState.Complete);
    }

    [Fact]
    public async Task Same_seed_gives_the_same_study()
    {
        async Task<IReadOnlyList<StoredTrial>> RunOnce()
        {
            using var storage = new InMemoryStudyStorage();
            var result = await Experiment(storage).SetTuner((space, seed) => new TreeParzenTuner(space, seed, numberOfStartupTrials: 2)).SetMaxTrials(3).RunAsync();
            return result.Trials;
        }
        var a = await RunOnce();
        var b = await RunOnce();
        b.Select(t => t.Parameters).Should().Equal(a.Select(t => t.Parameters));
        b.Select(t => t.Value).Should().Equal(a.Select(t => t.Value));
    }

    [Fact]
    public async Task Parallel_trials_get_distinct_numbers_and_distinct_proposals()
    {
        using var storage = new InMemoryStudyStorage();
        var result = await Experiment(storage).SetTuner((space, seed) => new GaussianProcessTuner(space, seed))
            .SetParallelism(2).SetMaxTrials(4).RunAsync();
        result.Trials.Select(t => t.Number).Should().BeEquivalentTo([0, 1, 2, 3]);
        result.Trials.Select(t => t.Parameters).Distinct().Should().HaveCount(4);
        result.Trials.Should().OnlyContain(t => t.State == TrialState.Complete);
    }

    [Fact]
    public async Task Cross_validation_scores_every_fold_and_refits_the_best()
    {
        using var storage = new InMemoryStudyStorage();
        var pipeline = _ml.Transforms.Concatenate("Features", _data.FeatureNames.ToArray())
            .Append(_ml.ReactionCoordinates().Auto().Committor(TestStudies.SmallSpace(), new CommittorTrainerOptions { Inputs = _data.Features.ToList(), MaxEpochs = 20 }));
        var result = await _ml.ReactionCoordinates().CreateExperiment().SetPipeline(pipeline).SetDataset(_data.ToDataView(), folds: 3)
            .SetTuner((space, seed) => new RandomSearchTuner(space, seed)).SetMaxTrials(2).SetStorage(storage, "cv").RunAsync();
        result.Trials.Should().OnlyContain(t => t.State == TrialState.Complete);
        result.BestTrial.Model.Should().NotBeNull();
    }

    [Fact]
    public async Task Without_a_budget_the_experiment_says_so()
    {
        using var storage = new InMemoryStudyStorage();
        var act = () => Experiment(storage).RunAsync();
        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("*budget*");
    }

    private sealed class RecordingMonitor : IMonitor
    {
        public int Started, Completed, Failed, Best;
        public void ReportRunningTrial(TrialSettings settings) => Interlocked.Increment(ref Started);
        public void ReportCompletedTrial(TrialResult result) => Interlocked.Increment(ref Completed);
        public void ReportBestTrial(TrialResult result) => Interlocked.Increment(ref Best);
        public void ReportFailTrial(TrialSettings settings, Exception? exception = null) => Interlocked.Increment(ref Failed);
    }

    private sealed class CountingTuner(ITuner inner) : ITuner
    {
        public int Proposals, Updates;
        public Parameter Propose(TrialSettings settings) { Proposals++; return inner.Propose(settings); }
        public void Update(TrialResult result) { Updates++; inner.Update(result); }
    }

    private sealed class ScriptedTuner(params Parameter[] script) : ITuner
    {
        private int _next;
        public List<TrialResult> Results { get; } = new();
        public Parameter Propose(TrialSettings settings) => script[_next++ % script.Length];
        public void Update(TrialResult result) => Results.Add(result);
    }

    private sealed class PruneAfter(int step, int fromTrial) : IPruner
    {
        private int _seen = -1;
        public bool ShouldPrune(int epoch, IReadOnlyList<double> curve, IReadOnlyList<IReadOnlyList<double>> others)
        {
            if (epoch == 1) Interlocked.Increment(ref _seen);
            return _seen >= fromTrial && epoch == step;
        }
    }
}
