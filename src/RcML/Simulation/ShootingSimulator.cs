namespace RcML.Simulation;

/// <summary>
/// Generates committor training data with a known answer: configurations around the transition region of a model system,
/// K independent Euler-Maruyama shots from each until they enter A or B, and the exact committor for reference.
/// </summary>
/// <remarks>
/// Each point draws from its own random stream seeded by (Seed, point index), so the output is identical for any
/// degree of parallelism. Configurations: a NearStateFraction share just outside A or B (q &lt; 0.02 or q &gt; 0.98);
/// of the rest, StratifiedFraction is Boltzmann-distributed within one of eight equal committor bins over [0.02, 0.98]
/// (chosen uniformly) and the remainder Boltzmann-distributed over the whole range 0.02 &lt;= q &lt;= 0.98.
/// The box edges reflect the trajectories, as they do in the committor equation.
/// </remarks>
public sealed class ShootingSimulator
{
    /// <summary>Settings of a shooting run.</summary>
    public sealed class Options
    {
        /// <summary>The model system to simulate.</summary>
        public IModelSystem System { get; set; } = new MullerBrownSystem();

        /// <summary>Number of shooting points.</summary>
        public int Points { get; set; } = 1500;

        /// <summary>Independent shots per point.</summary>
        public int ShotsPerPoint { get; set; } = 20;

        /// <summary>Extra CV columns: odd ones (noise_1, noise_3, ...) mix x and y plus noise, even ones are pure noise.</summary>
        public int NoiseDimensions { get; set; } = 6;

        /// <summary>Random seed; with the same seed and options the output is the same.</summary>
        public long Seed { get; set; } = 1;

        /// <summary>A shot that reaches neither state within this many steps is dropped and counted in <see cref="ShootingPoint.FailedShots"/>.</summary>
        public int MaxStepsPerShot { get; set; } = 1_000_000;

        /// <summary>Points simulated in parallel; 0 means one per processor.</summary>
        public int DegreeOfParallelism { get; set; }

        /// <summary>Thermal energy; null means the system's default.</summary>
        public double? KT { get; set; }

        /// <summary>Share of points just outside A or B (q below 0.02 or above 0.98).</summary>
        public double NearStateFraction { get; set; } = 0.1;

        /// <summary>Share of the other points drawn stratified on committor level sets rather than plain Boltzmann over the transition region.</summary>
        public double StratifiedFraction { get; set; } = 0.5;

        /// <summary>The reference committor, if already solved; null solves one on the default grid.</summary>
        public ExactCommittor? Committor { get; set; }
    }

    // Mixing weights (x, y) of the relevant noise columns, used in turn; the noise on top has standard deviation 0.3.
    private static readonly (double X, double Y)[] MixtureWeights = [(0.7, 0.3), (0.3, 0.7), (0.5, -0.5), (-0.4, 0.8)];
    private const double MixtureNoise = 0.3;

    private readonly Options _options;
    private readonly double _kT;
    private readonly double _mobilityDt; // dt / gamma: drift step per unit force
    private readonly double _noiseAmplitude; // sqrt(2 kT dt / gamma)

    /// <summary>Checks the options and solves the reference committor unless one is given.</summary>
    public ShootingSimulator(Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.System, nameof(options.System));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Points, nameof(options.Points));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.ShotsPerPoint, nameof(options.ShotsPerPoint));
        ArgumentOutOfRangeException.ThrowIfNegative(options.NoiseDimensions, nameof(options.NoiseDimensions));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxStepsPerShot, nameof(options.MaxStepsPerShot));
        ArgumentOutOfRangeException.ThrowIfNegative(options.DegreeOfParallelism, nameof(options.DegreeOfParallelism));
        if (options.NearStateFraction is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(options.NearStateFraction));
        if (options.StratifiedFraction is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(options.StratifiedFraction));
        _options = options;
        _kT = options.KT ?? options.System.DefaultKT;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_kT, nameof(options.KT));
        _mobilityDt = options.System.TimeStep / options.System.Friction;
        _noiseAmplitude = Math.Sqrt(2 * _kT * _mobilityDt);

        var committor = options.Committor;
        if (committor is not null && (!ReferenceEquals(committor.System, options.System) || committor.KT != _kT))
            throw new ArgumentException("Options.Committor was solved for a different system or kT than the run uses.", nameof(options));
        Committor = committor ?? CommittorSolver.Solve(options.System, CommittorSolver.DefaultGridPoints, CommittorSolver.DefaultGridPoints, _kT);
        NoiseColumns = Enumerable.Range(0, options.NoiseDimensions).Select(MakeNoiseColumn).ToArray();
    }

    /// <summary>The exact committor the configurations are drawn with and the reference values come from.</summary>
    public ExactCommittor Committor { get; }

    /// <summary>How each noise column is made.</summary>
    public IReadOnlyList<NoiseColumn> NoiseColumns { get; }

    private static NoiseColumn MakeNoiseColumn(int index)
    {
        string name = $"noise_{index + 1}";
        if (index % 2 == 1) return new NoiseColumn(name, 0, 0, 1);
        var (wx, wy) = MixtureWeights[index / 2 % MixtureWeights.Length];
        return new NoiseColumn(name, wx, wy, MixtureNoise);
    }

    /// <summary>Runs all points and shots.</summary>
    public ShootingDataset Run(CancellationToken cancellationToken = default)
    {
        var sampler = new TransitionRegionSampler(Committor);
        var rows = new ShootingPoint[_options.Points];
        var parallel = new ParallelOptions
        {
            CancellationToken = cancellationToken,
            MaxDegreeOfParallelism = _options.DegreeOfParallelism > 0 ? _options.DegreeOfParallelism : Environment.ProcessorCount,
        };
        Parallel.For(0, rows.Length, parallel, i => rows[i] = SimulatePoint(i, sampler));
        return new ShootingDataset(_options.System.Name, _kT, _options.ShotsPerPoint, NoiseColumns, rows);
    }

    private ShootingPoint SimulatePoint(int index, TransitionRegionSampler sampler)
    {
        var random = new SimulationRandom(_options.Seed, index);
        int stratum;
        if (random.NextDouble() < _options.NearStateFraction)
            stratum = random.NextDouble() < 0.5 ? TransitionRegionSampler.NearA : TransitionRegionSampler.NearB;
        else if (random.NextDouble() < _options.StratifiedFraction)
            stratum = TransitionRegionSampler.FirstBin + random.NextInt(TransitionRegionSampler.StratificationBins);
        else
            stratum = TransitionRegionSampler.Transition;
        var (x, y, q) = sampler.Sample(stratum, random);

        var noise = new double[NoiseColumns.Count];
        for (int c = 0; c < noise.Length; c++)
        {
            var column = NoiseColumns[c];
            noise[c] = column.XWeight * x + column.YWeight * y + column.NoiseScale * random.NextGaussian();
        }

        int countA = 0, countB = 0, failed = 0;
        for (int shot = 0; shot < _options.ShotsPerPoint; shot++)
        {
            switch (Shoot(x, y, random))
            {
                case < 0: countA++; break;
                case > 0: countB++; break;
                default: failed++; break;
            }
        }
        return new ShootingPoint(index, x, y, noise, countA, countB, failed, q);
    }

    /// <summary>One Euler-Maruyama trajectory: -1 if it enters A first, +1 for B, 0 if it hits the step limit.</summary>
    private int Shoot(double x, double y, SimulationRandom random)
    {
        var system = _options.System;
        var box = system.Domain;
        double mobilityDt = _mobilityDt, noiseAmplitude = _noiseAmplitude;
        int maxSteps = _options.MaxStepsPerShot;
        for (int step = 0; step < maxSteps; step++)
        {
            var (gx, gy) = system.Gradient(x, y);
            random.NextGaussianPair(out double nx, out double ny);
            x = Reflect(x - mobilityDt * gx + noiseAmplitude * nx, box.XMin, box.XMax);
            y = Reflect(y - mobilityDt * gy + noiseAmplitude * ny, box.YMin, box.YMax);
            if (system.InA(x, y)) return -1;
            if (system.InB(x, y)) return 1;
        }
        return 0;
    }

    /// <summary>Mirror a coordinate back into [min, max] (the reflecting wall of the committor equation).</summary>
    private static double Reflect(double value, double min, double max)
    {
        if (value < min) value = 2 * min - value;
        else if (value > max) value = 2 * max - value;
        return Math.Clamp(value, min, max);
    }
}
