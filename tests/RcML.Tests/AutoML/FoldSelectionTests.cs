using FluentAssertions;
using MathNet.Numerics.Statistics;
using Microsoft.ML;
using Microsoft.ML.Data;
using RcML.AutoML;
using RcML.Committor;
using RcML.Data;
using RcML.Ensembles;
using RcML.Storage;
using Xunit;

namespace RcML.Tests.AutoML;

/// <summary>Racing on folds, the final model made from the winner, and the cost-aware GP.</summary>
public class FoldSelectionTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Racing_scores_contenders_on_every_fold_and_keeps_the_best_value_on_a_fully_scored_trial()
    {
        var racing = new RacingSelection(3);
        // No incumbent yet: the first trial trains every fold and becomes the incumbent (mean 0.31).
        racing.ShouldContinue([0.30]).Should().BeTrue();
        racing.ShouldContinue([0.30, 0.32]).Should().BeTrue();
        racing.ShouldContinue([0.30, 0.32, 0.31]).Should().BeFalse();
        racing.Record([0.30, 0.32, 0.31]).Should().BeTrue();
        racing.Value([0.30, 0.32, 0.31]).Should().BeApproximately(0.31, 1e-12);

        // Worse than the incumbent on fold 1: stops; its value is the incumbent's mean plus the paired difference.
        racing.ShouldContinue([0.305]).Should().BeFalse();
        racing.Value([0.305]).Should().BeApproximately(0.315, 1e-12);
        racing.Record([0.305]).Should().BeFalse();

        // A lucky fold 1 that does not hold up: stops after fold 2, value above the incumbent.
        racing.ShouldContinue([0.295]).Should().BeTrue();
        racing.ShouldContinue([0.295, 0.33]).Should().BeFalse();
        racing.Value([0.295, 0.33]).Should().BeGreaterThan(0.31);

        // Better on every fold: trains them all and takes over.
        racing.ShouldContinue([0.29, 0.31]).Should().BeTrue();
        racing.Record([0.29, 0.31, 0.30]).Should().BeTrue();
        racing.Incumbent.Should().Equal(0.29, 0.31, 0.30);
        racing.Value([0.29, 0.31, 0.30]).Should().BeApproximately(0.30, 1e-12);
    }

    [Theory]
    [InlineData(FinalModel.Refit)]
    [InlineData(FinalModel.Ensemble)]
    public async Task Racing_experiment_returns_the_winner_refit_on_all_data_or_its_fold_ensemble(FinalModel finalModel)
    {
        var ml = new MLContext(seed: 1);
        var data = ShootingData.Load(SyntheticCsv.Write(_dir.File("shots.csv"), rows: 160), new ShootingDataOptions { Periodic = ["phi"] });
        var space = new SearchSpace().AddInt("layers", 1, 2).AddInt("nodes_1", 4, 12, log: true)
            .AddInt("nodes_2", 4, 12, log: true, when: Condition.AtLeast("layers", 2)).AddFloat("learning_rate", 3e-3, 3e-2, log: true);
        var pipeline = ml.Transforms.Concatenate("Features", data.FeatureNames.ToArray())
            .Append(ml.ReactionCoordinates().Auto().Committor(space, new CommittorTrainerOptions { Inputs = data.Features.ToList(), MaxEpochs = 20, Patience = 5 }));
        using var storage = new InMemoryStudyStorage();
        var tuner = new RecordingTuner(new RandomSearchTuner(space, 2));
        var result = await ml.ReactionCoordinates().CreateExperiment().SetPipeline(pipeline)
            .SetDataset(data.ToDataView(), new RacingSelection(3)).SetFinalModel(finalModel).SetTuner(tuner).SetMaxTrials(5).SetStorage(storage, "race").SetSeed(4).RunAsync();

        result.Trials.Should().HaveCount(5).And.OnlyContain(t => t.State == TrialState.Complete && t.Value > 0);
        result.BestTrial.Loss.Should().Be(result.Trials.Min(t => t.Value!.Value));
        tuner.Results[0].Trainings.Should().Be(3, "the first trial has no incumbent to race and trains every fold");
        tuner.Results.Should().OnlyContain(r => r.Trainings >= 1 && r.Trainings <= 3);
        var last = ((TransformerChain<ITransformer>)result.BestTrial.Model!).LastTransformer;
        if (finalModel == FinalModel.Ensemble)
        {
            last.Should().BeOfType<CommittorEnsembleTransformer>().Which.Members.Should().HaveCount(3, "the winner was scored on all 3 folds");
            result.BestTrial.Model!.Transform(data.ToDataView()).Schema.GetColumnOrNull("CommittorStdDev").Should().NotBeNull();
            return;
        }
        var final = last.Should().BeOfType<CommittorPredictionTransformer>().Subject;
        double.IsNaN(final.Training.ValidationLoss).Should().BeTrue("the refit trains on all the data, without a hold-out");
        final.Training.StopReason.Should().Be(StopReason.MaxEpochs);
    }

    [Fact]
    public async Task An_ensemble_of_the_best_trials_joins_their_fold_networks_best_trial_first_then_refits_of_the_best_on_all_data()
    {
        var ml = new MLContext(seed: 1);
        var data = ShootingData.Load(SyntheticCsv.Write(_dir.File("shots.csv"), rows: 160), new ShootingDataOptions { Periodic = ["phi"] });
        var space = new SearchSpace().AddInt("nodes_1", 4, 12, log: true).AddFloat("learning_rate", 3e-3, 3e-2, log: true);
        var pipeline = ml.Transforms.Concatenate("Features", data.FeatureNames.ToArray())
            .Append(ml.ReactionCoordinates().Auto().Committor(space, new CommittorTrainerOptions { Inputs = data.Features.ToList(), MaxEpochs = 20, Patience = 5 }));
        async Task<(ExperimentResult Result, CommittorEnsembleTransformer Model)> Run(int trials, int refits = 0)
        {
            using var storage = new InMemoryStudyStorage();
            var result = await ml.ReactionCoordinates().CreateExperiment().SetPipeline(pipeline)
                .SetDataset(data.ToDataView(), new CrossValidationSelection(3)).SetFinalModel(FinalModel.Ensemble, trials, refits)
                .SetTuner(new RandomSearchTuner(space, 2)).SetMaxTrials(5).SetStorage(storage, "top").SetSeed(4).RunAsync();
            var last = ((TransformerChain<ITransformer>)result.BestTrial.Model!).LastTransformer;
            return (result, last.Should().BeOfType<CommittorEnsembleTransformer>().Subject);
        }

        var (best, single) = await Run(1);
        var (top, joined) = await Run(3, refits: 2);
        top.Trials.Select(t => t.Value).Should().Equal(best.Trials.Select(t => t.Value), "the same seeded study");
        single.Members.Should().HaveCount(3, "the best trial's 3 fold networks");
        joined.Members.Should().HaveCount(11, "every trial of cross-validation is scored on all 3 folds, the best 3 join, then 2 refits");
        joined.Members.Take(3).Select(m => m.ToJson()).Should().Equal(single.Members.Select(m => m.ToJson()), "the best trial comes first");
        joined.Members.Skip(3).Select(m => m.ToJson()).Should().NotIntersectWith(single.Members.Select(m => m.ToJson()));
        joined.Members[9].ToJson().Should().NotBe(joined.Members[10].ToJson(), "each refit starts from its own seed");
        ml.Invoking(_ => ml.ReactionCoordinates().CreateExperiment().SetFinalModel(FinalModel.Ensemble, 0))
            .Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public async Task Pruned_trials_reach_the_tuner_on_the_complete_trials_scale()
    {
        // A pruned trial's stored value is its first-fold best; complete trials report their folds' mean. The tuner sees a
        // pruned value moved by the median gap between complete trials' values and their first-fold best.
        var ml = new MLContext(seed: 1);
        var data = ShootingData.Load(SyntheticCsv.Write(_dir.File("shots.csv"), rows: 160), new ShootingDataOptions { Periodic = ["phi"] });
        var space = new SearchSpace().AddInt("nodes_1", 2, 12, log: true).AddFloat("learning_rate", 1e-4, 3e-2, log: true);
        var pipeline = ml.Transforms.Concatenate("Features", data.FeatureNames.ToArray())
            .Append(ml.ReactionCoordinates().Auto().Committor(space, new CommittorTrainerOptions { Inputs = data.Features.ToList(), MaxEpochs = 40, Patience = 40 }));
        using var storage = new InMemoryStudyStorage();
        var tuner = new RecordingTuner(new RandomSearchTuner(space, 3));
        var result = await ml.ReactionCoordinates().CreateExperiment().SetPipeline(pipeline)
            .SetDataset(data.ToDataView(), new CrossValidationSelection(3)).SetPruner(new MedianPruner(2, 10, 5)).SetTuner(tuner)
            .SetMaxTrials(14).SetStorage(storage, "scale").SetSeed(2).RunAsync();

        var gaps = new List<double>();
        int pruned = 0;
        foreach (var r in tuner.Results)
        {
            double firstFoldBest = r.LossCurve!.Min();
            if (!r.IsPruned) { gaps.Add(r.Loss - firstFoldBest); continue; }
            pruned++;
            var stored = result.Trials.Single(t => t.Number == r.TrialSettings.TrialId);
            stored.Value!.Value.Should().BeApproximately(firstFoldBest, 1e-12, "the store keeps what was measured");
            r.Loss.Should().BeApproximately(firstFoldBest + (gaps.Count == 0 ? 0 : gaps.Median()), 1e-9);
        }
        pruned.Should().BeGreaterThan(0, "the median pruner stops some of the slow learning rates");
        gaps.Should().Contain(g => Math.Abs(g) > 1e-6, "folds differ, so the scales differ");
    }

    [Fact]
    public void Cost_aware_GP_prefers_the_cheap_one_of_two_equally_good_settings()
    {
        var space = new SearchSpace().AddFloat("x", 0, 1).AddChoice("size", ["small", "big"]);
        int Small(bool costAware)
        {
            var tuner = new GaussianProcessTuner(space, 5, new GaussianProcessTunerOptions { CostAware = costAware, NumberOfInitialTrials = 6 });
            int small = 0;
            for (int i = 0; i < 26; i++)
            {
                var settings = new TrialSettings { TrialId = i };
                settings.Parameter = tuner.Propose(settings);
                bool isSmall = settings.Parameter.GetString("size") == "small";
                if (i >= 6 && isSmall) small++;
                double x = settings.Parameter.GetDouble("x");
                tuner.Update(new TrialResult
                {
                    TrialSettings = settings, Loss = (x - 0.3) * (x - 0.3), DurationInMilliseconds = isSmall ? 1_000 : 100_000,
                });
            }
            return small;
        }
        int costAware = Small(true), plain = Small(false);
        costAware.Should().BeGreaterThanOrEqualTo(16, "20 proposals after the initial design, a 100x cheaper setting as good");
        costAware.Should().BeGreaterThan(plain);
    }

    [Fact]
    public void Cost_aware_GP_gives_slow_settings_at_most_a_third_of_the_time_spent()
    {
        // "big" is better but 20x slower than the default's training: without the slow share the GP would keep choosing it.
        var space = new SearchSpace().AddFloat("x", 0, 1).AddChoice("size", ["small", "big"]);
        (int BigAfterDesign, int BigWhileOverShare) Run(double slowShare)
        {
            var tuner = new GaussianProcessTuner(space, 3, new GaussianProcessTunerOptions { CostAware = true, NumberOfInitialTrials = 6, SlowShare = slowShare });
            double all = 0, slow = 0;
            int big = 0, overShare = 0;
            for (int i = 0; i < 30; i++)
            {
                var settings = new TrialSettings { TrialId = i };
                settings.Parameter = tuner.Propose(settings);
                bool isBig = settings.Parameter.GetString("size") == "big";
                if (i >= 6 && isBig) { big++; if (slow >= all / 3) overShare++; }
                double x = settings.Parameter.GetDouble("x"), seconds = isBig ? 20 : 1;
                all += seconds;
                if (isBig) slow += seconds;
                tuner.Update(new TrialResult
                {
                    TrialSettings = settings, Loss = (x - 0.3) * (x - 0.3) + (isBig ? 0 : 0.05), DurationInMilliseconds = seconds * 1000,
                });
            }
            return (big, overShare);
        }
        var (bigWithout, _) = Run(slowShare: 1.1);
        var (bigWith, overShare) = Run(slowShare: 1.0 / 3);
        bigWithout.Should().BeGreaterThan(12, "expected improvement per second alone still favours the better, slower setting");
        overShare.Should().Be(0, "no slow proposal while slow trials hold a third of the time or more");
        bigWith.Should().BeLessThan(bigWithout);
    }

    private sealed class RecordingTuner(ITuner inner) : ITuner
    {
        public List<TrialResult> Results { get; } = new();
        public Parameter Propose(TrialSettings settings) => inner.Propose(settings);
        public void Update(TrialResult result) { lock (Results) Results.Add(result); inner.Update(result); }
    }
}
