using RcML.AutoML;

namespace RcML.Bench;

public sealed record TuningRun(string Tuner, int Seed, double[] Losses, double[] ProposeMs, double[] ObjectiveMs)
{
    /// <summary>The proposed parameter sets (for --trace).</summary>
    public Parameter[] Parameters { get; init; } = [];

    public double[] BestSoFar()
    {
        var r = new double[Losses.Length];
        double best = double.PositiveInfinity;
        for (int i = 0; i < r.Length; i++) { if (double.IsFinite(Losses[i]) && Losses[i] < best) best = Losses[i]; r[i] = best; }
        return r;
    }
}
