using RcML.AutoML;
using RcML.Committor;
using RcML.Simulation;

namespace RcML.Bench;

public static class TuningTasks
{
    public static TuningTask Branin() => new("branin",
        new SearchSpace().AddFloat("x1", -5, 10).AddFloat("x2", 0, 15),
        (p, _) =>
        {
            double x1 = p.GetDouble("x1"), x2 = p.GetDouble("x2");
            double b = 5.1 / (4 * Math.PI * Math.PI), c = 5 / Math.PI, t = 1 / (8 * Math.PI);
            return Math.Pow(x2 - b * x1 * x1 + c * x1 - 6, 2) + 10 * (1 - t) * Math.Cos(x1) + 10;
        }, 0.397887);

    static readonly double[] HA = [1.0, 1.2, 3.0, 3.2];
    static readonly double[,] HAm = { { 10, 3, 17, 3.5, 1.7, 8 }, { 0.05, 10, 17, 0.1, 8, 14 }, { 3, 3.5, 1.7, 10, 17, 8 }, { 17, 8, 0.05, 10, 0.1, 14 } };
    static readonly double[,] HP = { { 1312, 1696, 5569, 124, 8283, 5886 }, { 2329, 4135, 8307, 3736, 1004, 9991 }, { 2348, 1451, 3522, 2883, 3047, 6650 }, { 4047, 8828, 8732, 5743, 1091, 381 } };

    public static TuningTask Hartmann6()
    {
        var s = new SearchSpace();
        for (int i = 1; i <= 6; i++) s.AddFloat($"x{i}", 0, 1);
        return new("hartmann6", s, (p, _) =>
        {
            double f = 0;
            for (int i = 0; i < 4; i++)
            {
                double e = 0;
                for (int j = 0; j < 6; j++) { double d = p.GetDouble($"x{j + 1}") - HP[i, j] * 1e-4; e += HAm[i, j] * d * d; }
                f -= HA[i] * Math.Exp(-e);
            }
            return f;
        }, -3.32237);
    }

    /// <summary>The mixed categorical/conditional function (<see cref="MixedFunction"/>); minimum 0.</summary>
    public static TuningTask Mixed() => new("mixed", MixedFunction.Space(), (p, _) => MixedFunction.Evaluate(p), 0.0);

    /// <summary>The committor search space of the tuning task (mirrored in optuna_server.py).</summary>
    public static SearchSpace CommittorSpace() => new SearchSpace()
        .AddInt("layers", 1, 2)
        .AddInt("nodes_1", 4, 64, log: true)
        .AddInt("nodes_2", 4, 64, log: true, when: Condition.AtLeast("layers", 2))
        .AddChoice("activation", ["tanh", "relu", "silu"])
        .AddFloat("learning_rate", 1e-4, 1e-1, log: true)
        .AddFloat("weight_decay", 1e-7, 1e-1, log: true);

    public static CommittorTrainerOptions CommittorOptions(Parameter p, int maxEpochs, int patience, int seed = 1) => new()
    {
        LayerWidths = p.GetInt("layers") >= 2 ? [p.GetInt("nodes_1"), p.GetInt("nodes_2")] : [p.GetInt("nodes_1")],
        Activation = p.GetString("activation"), LearningRate = p.GetDouble("learning_rate"), WeightDecay = p.GetDouble("weight_decay"),
        BatchSize = 0, MaxEpochs = maxEpochs, Patience = patience, Seed = seed,
    };

    public static ShootingMatrix ToMatrix(ShootingDataset d)
    {
        int cols = 2 + d.NoiseColumns.Count;
        var x = new float[d.Rows.Count * cols];
        var a = new float[d.Rows.Count];
        var b = new float[d.Rows.Count];
        for (int i = 0; i < d.Rows.Count; i++)
        {
            var r = d.Rows[i];
            x[i * cols] = (float)r.X; x[i * cols + 1] = (float)r.Y;
            for (int k = 0; k < r.Noise.Count; k++) x[i * cols + 2 + k] = (float)r.Noise[k];
            a[i] = r.CountA; b[i] = r.CountB;
        }
        return new ShootingMatrix(x, d.Rows.Count, cols, a, b);
    }

    public static NetworkInput[] Inputs(ShootingDataset d) =>
        new[] { "x", "y" }.Concat(d.NoiseColumns.Select(c => c.Name)).Select(n => new NetworkInput(n, InputKind.Linear)).ToArray();

    /// <summary>
    /// Muller-Brown, <paramref name="points"/> points x 20 shots, 4 noise CVs; a fixed 75/25 train/validation split;
    /// full-batch training, at most <paramref name="maxEpochs"/> epochs with early stopping on the validation set;
    /// objective = validation cross-entropy per shot of the restored best weights. With <paramref name="seedPerTrial"/>,
    /// trial k of the run with tuner seed s trains from initialization seed s + k, as <c>CommittorExperiment</c> does
    /// (the same seeds for every tuner); otherwise every trial trains from seed 1.
    /// <see cref="TuningTask.Retrain"/> also scores a training on 2,000 independent test points.
    /// The benchmark's task is the 2,000-point one with a seed per trial. The 400-point variant with seed 1
    /// (<c>committor_400</c>) has only 100 validation points, and an initialization's luck on them does not carry over
    /// to test data; a fixed seed makes a repeated configuration repeat its draw.
    /// </summary>
    public static TuningTask Committor(int maxEpochs, int points = 2000, bool seedPerTrial = true)
    {
        var options = new ShootingSimulator.Options { System = ModelSystems.Get("muller-brown"), Points = points, ShotsPerPoint = 20, NoiseDimensions = 4, Seed = 2024 };
        var simulator = new ShootingSimulator(options);
        var data = simulator.Run();
        var (train, val) = CommittorTraining.Split(ToMatrix(data), 0.25, new Random(5));
        var inputs = Inputs(data);
        var test = new Lazy<CommittorTestSet>(() => new CommittorTestSet(options, simulator, 2000, 77));
        CommittorTrainingResult? Train(Parameter p, int initSeed)
        {
            try { return CommittorTraining.Train(train, val, inputs, CommittorOptions(p, maxEpochs, 20, initSeed)); }
            catch (TrainingDivergedException) { return null; }
        }
        double Loss(Parameter p, int initSeed) => Train(p, initSeed)?.ValidationLoss ?? double.NaN;
        Retrained Retrain(Parameter p, int initSeed) => Train(p, initSeed) is { } r
            ? new(r.ValidationLoss, test.Value.Score(test.Value.Predict(r.Network)).ExcessCrossEntropy!.Value)
            : new(double.NaN, double.NaN);
        string name = points != 2000 ? $"committor_{points}" : seedPerTrial ? "committor" : "committor_fixed_seed";
        return new(name, CommittorSpace(), Loss, null)
        {
            Retrain = Retrain,
            SeedOfTrial = seedPerTrial ? (seed, trial) => seed + trial : (_, _) => 1,
            Description = $"Muller-Brown, {points} points x 20 shots, x, y and 4 noise CVs, fixed {train.Rows}/{val.Rows} train/validation split; " +
                $"full-batch Adam, at most {maxEpochs} epochs, early stopping (patience 20) on the validation set; " +
                (seedPerTrial ? "trial k of the run with seed s trains from initialization seed s + k (as CommittorExperiment does; the same for every tuner)"
                    : "initialization seed 1 for every trial") +
                "; objective = validation cross-entropy per shot of the restored best weights",
        };
    }
}
