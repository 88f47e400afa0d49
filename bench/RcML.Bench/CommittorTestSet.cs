using RcML.Committor;
using RcML.Onnx;
using RcML.Simulation;

namespace RcML.Bench;

/// <summary>
/// Independent shooting data from the same system as a training run, with the exact committor of every point: the
/// ground truth that validation losses only estimate.
/// </summary>
public sealed class CommittorTestSet
{
    /// <summary>The test points (same feature layout as <see cref="TuningTasks.ToMatrix"/>).</summary>
    public ShootingMatrix Matrix { get; }

    /// <summary>The exact committor of each test point.</summary>
    public float[] Reference { get; }

    /// <summary>
    /// Simulates <paramref name="points"/> new points with <paramref name="seed"/>, otherwise as <paramref name="training"/>
    /// (system, shots, noise CVs), reusing the committor <paramref name="trainingRun"/> solved.
    /// </summary>
    public CommittorTestSet(ShootingSimulator.Options training, ShootingSimulator trainingRun, int points, int seed)
    {
        var data = new ShootingSimulator(new ShootingSimulator.Options
        {
            System = training.System, Points = points, ShotsPerPoint = training.ShotsPerPoint, NoiseDimensions = training.NoiseDimensions,
            Seed = seed, Committor = trainingRun.Committor,
        }).Run();
        Matrix = TuningTasks.ToMatrix(data);
        Reference = data.Rows.Select(r => (float)r.ReferenceCommittor).ToArray();
    }

    /// <summary>p_B of every test point under a trained network.</summary>
    public float[] Predict(CommittorNetworkSpec network)
    {
        var eval = new CommittorNetworkEvaluator(network);
        return Enumerable.Range(0, Matrix.Rows).Select(i => (float)eval.Committor(Matrix.Row(i).ToArray().Select(v => (double)v).ToArray())).ToArray();
    }

    /// <summary>Cross-entropy against the test shots and excess over the exact committor.</summary>
    public CommittorMetrics Score(float[] probabilities) => CommittorMetrics.Compute(probabilities, Matrix.CountA, Matrix.CountB, Reference);
}
