using System.Text.Json.Nodes;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.LightGbm;
using RcML.AutoML;
using RcML.Committor;
using RcML.Onnx;
using RcML.Simulation;
using static RcML.Bench.Stats;

namespace RcML.Bench;

/// <summary>Tuned RcML network vs ML.NET LightGBM and logistic regression, scored against the exact committor.</summary>
public static class QualityBench
{
    sealed class Row
    {
        public float[] Features { get; set; } = [];
        public bool Label { get; set; }
        public float Weight { get; set; }
    }

    sealed class Scored { public float Probability { get; set; } }

    /// <summary>Each configuration as two weighted rows: label 1 with weight n_B, label 0 with weight n_A.</summary>
    static IEnumerable<Row> Binomial(ShootingMatrix m)
    {
        for (int i = 0; i < m.Rows; i++)
        {
            var f = m.Row(i).ToArray();
            if (m.CountB[i] > 0) yield return new Row { Features = f, Label = true, Weight = m.CountB[i] };
            if (m.CountA[i] > 0) yield return new Row { Features = f, Label = false, Weight = m.CountA[i] };
        }
    }

    /// <summary>Rows as a data view whose Features column is a known-size vector (ML.NET trainers require it).</summary>
    static IDataView Load(MLContext ml, IEnumerable<Row> rows, int columns)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, columns);
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    static float[] Predict(MLContext ml, ITransformer model, ShootingMatrix m)
    {
        var rows = Enumerable.Range(0, m.Rows).Select(i => new Row { Features = m.Row(i).ToArray(), Label = false, Weight = 1 });
        var scored = model.Transform(Load(ml, rows, m.Columns));
        return ml.Data.CreateEnumerable<Scored>(scored, reuseRowObject: false).Select(s => s.Probability).ToArray();
    }

    static double CrossEntropy(float[] p, ShootingMatrix m) => CommittorLoss.PerShotFromProbability(p, m.CountA, m.CountB);

    static JsonObject Score(float[] p, CommittorTestSet test)
    {
        var metrics = test.Score(p);
        return new JsonObject
        {
            ["test_cross_entropy"] = J(metrics.CrossEntropy),
            ["excess_cross_entropy"] = J(metrics.ExcessCrossEntropy ?? double.NaN),
            ["rmse_to_exact_committor"] = J(metrics.RmseToReference ?? double.NaN),
        };
    }

    public static JsonObject Run(BenchContext ctx)
    {
        string[] systems = ctx.Quick ? ["muller-brown"] : ["muller-brown", "three-well"];
        int points = ctx.Quick ? 1000 : 2000, tuneTrials = ctx.Quick ? 15 : 40;
        var result = new JsonObject
        {
            ["method"] = $"Per system: {points} training points and an independent {points}-point test set (different seed), 20 shots each, " +
                "6 noise CVs (x, y and noise columns as features for every model). RcML: GP tuner, " + tuneTrials + " trials over the committor " +
                "space of the tuning task (full batch, <= 300 epochs, patience 30), objective = cross-entropy on a 20% hold-out of the " +
                "training points; the best trial's network is scored. LightGBM (ML.NET, binomial via example weights) gets a 12-point grid " +
                "(leaves {7,15,31} x learning rate {0.03,0.1} x iterations {100,300}) selected on the same hold-out, then refit on all " +
                "training points; also reported with ML.NET defaults. Logistic regression: L-BFGS on mean/variance-normalized features, " +
                "same weighting. Score: excess cross-entropy per shot over the exact committor on the test set (0 = as good as exact).",
        };
        foreach (var name in systems)
        {
            var system = ModelSystems.Get(name);
            var trainOptions = new ShootingSimulator.Options { System = system, Points = points, ShotsPerPoint = 20, NoiseDimensions = 6, Seed = 11 };
            var trainSim = new ShootingSimulator(trainOptions);
            var trainData = trainSim.Run();
            var testSet = new CommittorTestSet(trainOptions, trainSim, points, 99);
            var train = TuningTasks.ToMatrix(trainData);
            var test = testSet.Matrix;
            var inputs = TuningTasks.Inputs(trainData);
            var (fit, hold) = CommittorTraining.Split(train, 0.2, new Random(3));
            var sys = new JsonObject { ["train_points"] = points, ["test_points"] = points };

            // RcML: tuned network.
            var tuner = new GaussianProcessTuner(TuningTasks.CommittorSpace(), 0);
            CommittorTrainingResult? best = null; Parameter? bestP = null;
            var sw = System.Diagnostics.Stopwatch.StartNew();
            for (int t = 0; t < tuneTrials; t++)
            {
                var settings = new TrialSettings { TrialId = t };
                var p = tuner.Propose(settings); settings.Parameter = p;
                double loss = double.NaN;
                try
                {
                    var r = CommittorTraining.Train(fit, hold, inputs, TuningTasks.CommittorOptions(p, 300, 30));
                    loss = r.ValidationLoss;
                    if (best is null || loss < best.ValidationLoss) { best = r; bestP = p; }
                }
                catch (TrainingDivergedException) { }
                tuner.Update(new TrialResult { TrialSettings = settings, Loss = loss, IsFailed = !double.IsFinite(loss) });
            }
            var rc = Score(testSet.Predict(best!.Network), testSet);
            rc["holdout_cross_entropy"] = J(best.ValidationLoss);
            rc["best_parameters"] = JsonNode.Parse(bestP!.ToJson());
            rc["tuning_seconds"] = J(sw.Elapsed.TotalSeconds);
            sys["rcml_tuned_network"] = rc;
            ctx.Log($"quality {name}: RcML excess CE {rc["excess_cross_entropy"]}");

            // LightGBM.
            var ml = new MLContext(seed: 1);
            ITransformer FitGbm(ShootingMatrix m, int leaves, double lr, int iters) =>
                ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
                {
                    LabelColumnName = "Label", FeatureColumnName = "Features", ExampleWeightColumnName = "Weight",
                    NumberOfLeaves = leaves, LearningRate = lr, NumberOfIterations = iters, Seed = 1, NumberOfThreads = 2,
                }).Fit(Load(ml, Binomial(m), m.Columns));
            sw.Restart();
            (int L, double Lr, int It, double Ce) bestGbm = (0, 0, 0, double.PositiveInfinity);
            foreach (var leaves in new[] { 7, 15, 31 })
                foreach (var lr in new[] { 0.03, 0.1 })
                    foreach (var it in new[] { 100, 300 })
                    {
                        var ce = CrossEntropy(Predict(ml, FitGbm(fit, leaves, lr, it), hold), hold);
                        if (ce < bestGbm.Ce) bestGbm = (leaves, lr, it, ce);
                    }
            var gbm = Score(Predict(ml, FitGbm(train, bestGbm.L, bestGbm.Lr, bestGbm.It), test), testSet);
            gbm["holdout_cross_entropy"] = J(bestGbm.Ce);
            gbm["best_parameters"] = new JsonObject { ["leaves"] = bestGbm.L, ["learning_rate"] = bestGbm.Lr, ["iterations"] = bestGbm.It };
            gbm["tuning_seconds"] = J(sw.Elapsed.TotalSeconds);
            sys["lightgbm_tuned"] = gbm;
            var gbmDefault = ml.BinaryClassification.Trainers.LightGbm(labelColumnName: "Label", featureColumnName: "Features", exampleWeightColumnName: "Weight")
                .Fit(Load(ml, Binomial(train), train.Columns));
            sys["lightgbm_default"] = Score(Predict(ml, gbmDefault, test), testSet);
            ctx.Log($"quality {name}: LightGBM excess CE {gbm["excess_cross_entropy"]}");

            // Logistic regression.
            var lrModel = ml.Transforms.NormalizeMeanVariance("Features")
                .Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(labelColumnName: "Label", featureColumnName: "Features", exampleWeightColumnName: "Weight"))
                .Fit(Load(ml, Binomial(train), train.Columns));
            sys["logistic_regression"] = Score(Predict(ml, lrModel, test), testSet);

            double exRc = rc["excess_cross_entropy"]!.GetValue<double>(), exG = gbm["excess_cross_entropy"]!.GetValue<double>();
            sys["network_beats_lightgbm"] = exRc < exG;
            result[name] = sys;
        }
        return result;
    }
}
