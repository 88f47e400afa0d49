namespace RcML.AutoML;

/// <summary>Settings of <see cref="GaussianProcessTuner"/>.</summary>
public sealed class GaussianProcessTunerOptions
{
    /// <summary>Latin-hypercube initial design size before the GP is used (the default configuration counts as one of them).</summary>
    public int NumberOfInitialTrials { get; init; } = 10;
    /// <summary>
    /// The first trial is the search space's default configuration (each option's default, as ML.NET AutoML's tuners
    /// start from the default), then the Latin hypercube. Default true: a space whose defaults are a known cheap, good
    /// configuration gives every seed a sound first trial, instead of a random point that may train slowly and badly.
    /// </summary>
    public bool StartFromDefault { get; init; } = true;
    /// <summary>
    /// Loss warping before standardization. Clip (at the median) by default: on committor studies a few poor or
    /// diverged trainings otherwise hide the 1e-4-nat differences that separate the good settings.
    /// </summary>
    public OutputWarping Warping { get; init; } = OutputWarping.Clip;
    /// <summary>With <see cref="OutputWarping.Clip"/>: the quantile of the losses above which they are clipped.</summary>
    public double ClipQuantile { get; init; } = 0.5;
    /// <summary>Fantasy value for pending trials.</summary>
    public ConstantLiarStrategy Liar { get; init; } = ConstantLiarStrategy.Mean;
    /// <summary>At most this many finished trials condition the GP: the best half plus a seeded random rest.</summary>
    public int MaxTrainingPoints { get; init; } = 200;
    /// <summary>At most this many of those are used to fit the kernel hyperparameters (the O(n³) part run per L-BFGS step).</summary>
    public int MaxFitPoints { get; init; } = 80;
    /// <summary>Random L-BFGS restarts drawn from the hyperparameter prior (besides the prior mean and the previous fit).</summary>
    public int NumberOfRestarts { get; init; } = 1;
    /// <summary>L-BFGS iterations per start.</summary>
    public int MaxFitIterations { get; init; } = 40;
    /// <summary>Uniform random acquisition candidates.</summary>
    public int NumberOfRandomCandidates { get; init; } = 1000;
    /// <summary>Candidates perturbed around the best trials.</summary>
    public int NumberOfLocalCandidates { get; init; } = 300;
    /// <summary>Top candidates refined by local (pattern) search on numeric coordinates and choice enumeration.</summary>
    public int NumberOfRefinedCandidates { get; init; } = 3;
    /// <summary>
    /// Expected improvement per second: log EI minus the predicted log of a training's duration, from a second GP fitted
    /// to the finished trials' durations (pruned ones left out: their time is cut short). A time budget then buys
    /// improvement where it is cheap, and a large network must promise proportionally more; with <see cref="SlowShare"/>
    /// a study of a given budget runs comparably many trials whatever the seed. Off by default (plain EI, for trial budgets); <c>rcml tune --time</c> turns it on.
    /// </summary>
    public bool CostAware { get; init; }
    /// <summary>
    /// With <see cref="CostAware"/>: a configuration is slow when its predicted training takes more than
    /// <see cref="SlowFactor"/> times a typical training: the default configuration's when it completed (every seed
    /// starts from it, so the threshold does not depend on the seed or drift with the search), else the median of the
    /// completed trials'. Slow ones are proposed only while
    /// the trials that were slow took less than this share of the time spent so far. Expected improvement per second
    /// alone lets a slow incumbent's neighbourhood win (its EI is many times that of anywhere else, its cost only a
    /// few times), and a seed whose best early trial is slow then runs a tenth of the trials another seed runs.
    /// </summary>
    public double SlowShare { get; init; } = 1.0 / 3;
    /// <summary>With <see cref="CostAware"/>: how many typical trainings a slow configuration's training takes (see <see cref="SlowShare"/>).</summary>
    public double SlowFactor { get; init; } = 4;
}
