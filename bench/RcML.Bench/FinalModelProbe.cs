using System.Text.Json.Nodes;
using Microsoft.ML;
using RcML.AutoML;
using RcML.Committor;
using RcML.Data;
using RcML.Simulation;
using RcML.Storage;
using static RcML.Bench.Stats;

namespace RcML.Bench;

/// <summary>
/// Which model to hand back from a configuration scored on 5 folds (--only final_model): its fold-1 network, a refit on
/// all the data for the folds' mean best epoch count, or the ensemble of its 5 fold networks. One good configuration
/// per system, trained through <see cref="CommittorExperiment"/> with racing (a lone trial trains every fold) from
/// several trial seeds, each scored on the delivered section's test set. Independent of the time budget, so it can be
/// measured on a loaded machine.
/// </summary>
public static class FinalModelProbe
{
    public static JsonObject Run(BenchContext ctx)
    {
        int seeds = ctx.Seeds ?? (ctx.Quick ? 2 : 6);
        var result = new JsonObject
        {
            ["method"] = $"One configuration per system (2 layers relu 24x12, full batch, Adam, lr 0.02, weight decay 1e-6, max 1000 epochs, " +
                $"patience 50), a 1-trial racing experiment on 5 folds per trial seed ({seeds} seeds), each final model scored on the " +
                "delivered test set (excess cross-entropy per shot over the exact committor).",
        };
        foreach (var (name, train, test, periodic) in DeliveredBench.Data(ctx))
        {
            var ml = new MLContext(seed: 1);
            var options = new ShootingDataOptions { Periodic = periodic };
            var data = ShootingData.Load(train, options);
            var testData = ShootingData.Load(test, options);
            var rows = new JsonObject();
            foreach (var kind in new[] { FinalModel.FirstFold, FinalModel.Refit, FinalModel.Ensemble })
            {
                var excess = new List<double>();
                for (int seed = 1 + ctx.FirstSeed; seed <= seeds + ctx.FirstSeed; seed++)
                {
                    var pipeline = ml.Transforms.Concatenate("Features", data.FeatureNames.ToArray())
                        .Append(ml.ReactionCoordinates().Auto().Committor(new SearchSpace(), new CommittorTrainerOptions
                        {
                            Inputs = data.Features.ToList(), LayerWidths = [24, 12], HiddenLayers = 2, Activation = "relu", BatchSize = 0,
                            LearningRate = 0.02, WeightDecay = 1e-6, MaxEpochs = 1000, Patience = 50,
                        }));
                    using var storage = new InMemoryStudyStorage();
                    var outcome = ml.ReactionCoordinates().CreateExperiment().SetPipeline(pipeline)
                        .SetDataset(data.ToDataView(), new RacingSelection(5)).SetFinalModel(kind)
                        .SetTuner((space, s) => new RandomSearchTuner(space, s)).SetMaxTrials(1).SetSeed(seed).SetStorage(storage, "probe")
                        .RunAsync().GetAwaiter().GetResult();
                    var (_, p) = CommittorModelFile.Score(outcome.BestTrial.Model!, testData.ToDataView());
                    excess.Add(CommittorMetrics.Compute(p, testData.CountA, testData.CountB, testData.References["ref_committor"]).ExcessCrossEntropy!.Value);
                }
                rows[kind.ToString()] = new JsonObject { ["test_excess"] = Arr(excess), ["median"] = J(Median(excess)), ["worst"] = J(excess.Max()) };
                ctx.Log($"final_model {name} {kind}: median {Median(excess):G4}, worst {excess.Max():G4}");
            }
            result[name] = rows;
        }
        return result;
    }
}
