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
        return Simulate(_options.Points, _options.ShotsPerPoint, i => DrawConfiguration(i, sampler), cancellationToken);
    }

    /// <summary>
    /// Candidate configurations to shoot from, drawn from the Boltzmann distribution exp(-V/kT) restricted to the
    /// transition region 0.02 &lt;= q &lt;= 0.98 (<see cref="CandidatePool.Transition"/>); see the overload with a
    /// <see cref="CandidatePool"/>.
    /// </summary>
    public ShootingDataset DrawPool(int count, CancellationToken cancellationToken = default) =>
        DrawPool(count, CandidatePool.Transition, cancellationToken);

    /// <summary>
    /// Candidate configurations to shoot from, without shots: <paramref name="count"/> independent draws from the
    /// distribution <paramref name="from"/> names (of a transition pool, about 8 % of the draws on Muller-Brown have
    /// 0.1 &lt; q &lt; 0.9, on the three-well system about 58 %), with noise CVs and the exact committor. Rows have no
    /// counts and the dataset's <see cref="ShootingDataset.ShotsPerPoint"/> is 0. Seeded per point, as <see cref="Run"/>.
    /// </summary>
    public ShootingDataset DrawPool(int count, CandidatePool from, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var sampler = new TransitionRegionSampler(Committor);
        int stratum = from switch
        {
            CandidatePool.Transition => TransitionRegionSampler.Transition,
            CandidatePool.Equilibrium => TransitionRegionSampler.OutsideStates,
            _ => throw new ArgumentOutOfRangeException(nameof(from), from, null),
        };
        return Simulate(count, shots: 0, i =>
        {
            var random = new SimulationRandom(_options.Seed, PoolStream + i);
            var (x, y, _) = sampler.Sample(stratum, random);
            return (x, y, random);
        }, cancellationToken);
    }

    /// <summary>
    /// Shoots <see cref="Options.ShotsPerPoint"/> trajectories from each given configuration; noise CVs are made as in
    /// <see cref="Run"/> (same columns, seeded per row), the exact committor is evaluated there. Row ids are
    /// <paramref name="firstId"/> + position, and each row's random stream follows its id, so shooting a list in parts
    /// (ids continuing) gives the same outcomes as shooting it at once.
    /// </summary>
    /// <exception cref="ArgumentException">A configuration lies outside the domain.</exception>
    public ShootingDataset ShootFrom(IReadOnlyList<(double X, double Y)> configurations, int firstId = 0, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstId);
        ArgumentNullException.ThrowIfNull(configurations);
        var system = _options.System;
        for (int i = 0; i < configurations.Count; i++)
        {
            var (x, y) = configurations[i];
            if (!double.IsFinite(x) || !double.IsFinite(y) || !system.Domain.Contains(x, y))
                throw new ArgumentException($"Configuration {i + 1} ({x}, {y}) lies outside the {system.Name} domain {system.Domain}.");
        }
        return Simulate(configurations.Count, _options.ShotsPerPoint,
            i => (configurations[i].X, configurations[i].Y, new SimulationRandom(_options.Seed, FromStream + firstId + i)), cancellationToken, firstId);
    }

    // Random streams of pools and of given configurations, apart from Run's (one stream per point index).
    private const long PoolStream = 1L << 40, FromStream = 2L << 40;

    private ShootingDataset Simulate(int count, int shots, Func<int, (double X, double Y, SimulationRandom Random)> configuration,
        CancellationToken cancellationToken, int firstId = 0)
    {
        var rows = new ShootingPoint[count];
        var parallel = new ParallelOptions
        {
            CancellationToken = cancellationToken,
            MaxDegreeOfParallelism = _options.DegreeOfParallelism > 0 ? _options.DegreeOfParallelism : Environment.ProcessorCount,
        };
        Parallel.For(0, count, parallel, i =>
        {
            var (x, y, random) = configuration(i);
            rows[i] = ShootPoint(firstId + i, x, y, Committor.Evaluate(x, y), shots, random);
        });
        return new ShootingDataset(_options.System.Name, _kT, shots, NoiseColumns, rows);
    }

    /// <summary>Point <paramref name="index"/> of <see cref="Run"/>: its stratum and configuration, and the stream that continues with its shots.</summary>
    private (double X, double Y, SimulationRandom Random) DrawConfiguration(int index, TransitionRegionSampler sampler)
    {
        var random = new SimulationRandom(_options.Seed, index);
        int stratum;
        if (random.NextDouble() < _options.NearStateFraction)
            stratum = random.NextDouble() < 0.5 ? TransitionRegionSampler.NearA : TransitionRegionSampler.NearB;
        else if (random.NextDouble() < _options.StratifiedFraction)
            stratum = TransitionRegionSampler.FirstBin + random.NextInt(TransitionRegionSampler.StratificationBins);
        else
            stratum = TransitionRegionSampler.Transition;
        var (x, y, _) = sampler.Sample(stratum, random);
        return (x, y, random);
    }

    /// <summary>Noise CVs, then <paramref name="shots"/> shots from (x, y), all from <paramref name="random"/>.</summary>
    private ShootingPoint ShootPoint(int index, double x, double y, double q, int shots, SimulationRandom random)
    {
        var noise = new double[NoiseColumns.Count];
        for (int c = 0; c < noise.Length; c++)
        {
            var column = NoiseColumns[c];
            noise[c] = column.XWeight * x + column.YWeight * y + column.NoiseScale * random.NextGaussian();
        }

        int countA = 0, countB = 0, failed = 0;
        for (int shot = 0; shot < shots; shot++)
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
