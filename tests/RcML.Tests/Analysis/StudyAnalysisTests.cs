using FluentAssertions;
using RcML.Analysis;
using RcML.AutoML;
using RcML.Data;
using RcML.Storage;
using RcML.Tests.Export;
using Xunit;

namespace RcML.Tests.Analysis;

/// <summary>The analyses read a study straight from a store.</summary>
public class StudyAnalysisTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Best_trials_with_stored_models_are_attributed_best_first_and_compared()
    {
        using var storage = new InMemoryStudyStorage();
        var space = new SearchSpace().AddFloat("lr", 0.001, 0.1, log: true).AddInt("nodes", 4, 32);
        var study = storage.GetOrCreateStudy("s", space.ToJson());
        var random = new Random(2);
        double[] values = [0.52, 0.50, 0.55, 0.51, 0.60, 0.58];
        for (int i = 0; i < values.Length; i++)
        {
            var trial = storage.StartTrial(study.StudyId, space.Sample(random), seed: i, worker: "test");
            storage.FinishTrial(trial.TrialId, TrialState.Complete, values[i]);
            if (i != 3) // the second best has no stored model
                storage.SaveModel(trial.TrialId, File.ReadAllBytes(ModelZips.Save(
                    AttributionTestNetworks.IgnoresNoise(phiWeight: 1 + i, xWeight: 2), _dir.File($"t{i}.zip"))));
        }
        var failed = storage.StartTrial(study.StudyId, space.Default, seed: 9, worker: "test");
        storage.FinishTrial(failed.TrialId, TrialState.Failed, null, "diverged");

        var data = ShootingData.Load(SyntheticCsv.Write(_dir.File("shots.csv"), 200), new ShootingDataOptions { Periodic = ["phi"] });
        var models = AttributionAgreement.AttributeBestTrials(storage, "s", data, count: 3, new FeatureAttributionOptions { Permutations = 1 });
        models.Select(m => m.Label).Should().Equal("trial 1", "trial 0", "trial 2");
        models.Select(m => m.Value).Should().Equal(0.50, 0.52, 0.55);

        var agreement = AttributionAgreement.Compare(models, top: 2);
        agreement.Models.Should().Equal("trial 1", "trial 0", "trial 2");
        agreement.SharedTopCvs.Should().BeEquivalentTo(["phi", "x"], "every model ignores noise");
        agreement.RankCorrelation.Should().HaveCount(3);

        var importance = HyperparameterImportance.Compute(storage, "s");
        importance.Trials.Should().Be(6);
        importance.Parameters.Select(p => p.Name).Should().BeEquivalentTo(["lr", "nodes"]);

        var modes = ModeAnalysis.Analyze(storage, "s");
        modes.GoodTrials.Should().Be(5);
        modes.Modes.SelectMany(m => m.Trials).Should().NotContain(6, "failed trials are not clustered");

        var missing = () => ModeAnalysis.Analyze(storage, "nope");
        missing.Should().Throw<ArgumentException>().WithMessage("*no study named 'nope'*");
    }
}
