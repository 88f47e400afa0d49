using FluentAssertions;
using MathNet.Numerics.Statistics;
using RcML.Simulation;
using Xunit;
using Xunit.Abstractions;

namespace RcML.Tests.Simulation;

/// <summary>Shooting datasets shared by the statistical tests; simulated once per test run.</summary>
public sealed class ShootingFixture
{
    public ShootingFixture()
    {
        DoubleWell = Simulate(new TiltedDoubleWellSystem(), points: 400, seed: 11);
        MullerBrown = Simulate(new MullerBrownSystem(), points: 300, seed: 12);
    }

    public ShootingDataset DoubleWell { get; }
    public ShootingDataset MullerBrown { get; }

    public ShootingDataset Get(string name) => name == "double-well" ? DoubleWell : MullerBrown;

    private static ShootingDataset Simulate(IModelSystem system, int points, long seed) =>
        new ShootingSimulator(new ShootingSimulator.Options
        {
            System = system,
            Points = points,
            ShotsPerPoint = 20,
            Seed = seed,
            // A 129-node grid is accurate to ~2e-3, far below the binomial noise of 20 shots.
            Committor = CommittorSolver.Solve(system, 129, 129),
        }).Run();
}

public sealed class ShootingSimulatorTests(ShootingFixture fixture, ITestOutputHelper output) : IClassFixture<ShootingFixture>
{
    [Theory]
    [InlineData("double-well")]
    [InlineData("muller-brown")]
    public void Shot_counts_are_binomial_with_the_exact_committor(string name)
    {
        var data = fixture.Get(name);
        data.FailedShots.Should().Be(0);

        var (chi2, sd, dof) = PearsonPerDegreeOfFreedom(data, p => p);
        // Under the null each point's Pearson term has mean 1 and a known variance, so chi2/dof is 1 +- sd;
        // 3.5 sd is a two-sided 0.05% test for a fixed seed, and wide enough only for the O(dt) Euler-Maruyama bias.
        double bound = 3.5 * sd;
        output.WriteLine($"{name}: chi2/dof = {chi2:F3} over {dof} points (sd {sd:F3}, accepted 1 +- {bound:F3})");
        dof.Should().BeGreaterThan(200);
        chi2.Should().BeInRange(1 - bound, 1 + bound);

        // The test has teeth: the same counts against a committor squeezed 30% towards 1/2 are rejected.
        var (wrong, _, _) = PearsonPerDegreeOfFreedom(data, p => 0.5 + 0.7 * (p - 0.5));
        output.WriteLine($"{name}: chi2/dof against the squeezed committor = {wrong:F3}");
        wrong.Should().BeGreaterThan(1 + bound);
    }

    [Theory]
    [InlineData("double-well")]
    [InlineData("muller-brown")]
    public void At_least_a_fifth_of_points_are_in_the_transition_region_and_some_near_each_state(string name)
    {
        var rows = fixture.Get(name).Rows;
        double middle = rows.Count(r => r.ReferenceCommittor is > 0.1 and < 0.9) / (double)rows.Count;
        output.WriteLine($"{name}: {middle:P1} of points have 0.1 < q < 0.9");
        middle.Should().BeGreaterThanOrEqualTo(0.2);
        rows.Should().Contain(r => r.ReferenceCommittor < 0.02);
        rows.Should().Contain(r => r.ReferenceCommittor > 0.98);
        rows.Should().OnlyContain(r => r.ReferenceCommittor > 0 && r.ReferenceCommittor < 1);
    }

    [Fact]
    public void An_equilibrium_pool_is_Boltzmann_over_the_domain_outside_A_and_B()
    {
        var system = new MullerBrownSystem();
        var simulator = new ShootingSimulator(new ShootingSimulator.Options { System = system, Seed = 5, Committor = CommittorSolver.Solve(system, 129, 129) });
        var pool = simulator.DrawPool(4000, CandidatePool.Equilibrium).Rows;
        pool.Should().OnlyContain(r => system.Domain.Contains(r.X, r.Y) && !system.InA(r.X, r.Y) && !system.InB(r.X, r.Y));

        // Mean energy against quadrature of exp(-V/kT) over the domain outside A and B (midpoint rule, 600 x 600 cells).
        var box = system.Domain;
        double hx = box.Width / 600, hy = box.Height / 600;
        var cells = (from i in Enumerable.Range(0, 600)
                     from j in Enumerable.Range(0, 600)
                     let x = box.XMin + (i + 0.5) * hx
                     let y = box.YMin + (j + 0.5) * hy
                     where !system.InA(x, y) && !system.InB(x, y)
                     select system.Energy(x, y)).ToArray();
        double vMin = cells.Min();
        double Expected(double kT) =>
            cells.Sum(v => v * Math.Exp(-(v - vMin) / kT)) / cells.Sum(v => Math.Exp(-(v - vMin) / kT));
        var energies = pool.Select(r => system.Energy(r.X, r.Y)).ToArray();
        double mean = energies.Mean(), error = energies.StandardDeviation() / Math.Sqrt(energies.Length);
        double atKT = Expected(system.DefaultKT), hotter = Expected(1.3 * system.DefaultKT);
        output.WriteLine($"mean V {mean:F3} +- {error:F3}; Boltzmann at kT {atKT:F3}, at 1.3 kT {hotter:F3}");
        mean.Should().BeApproximately(atKT, 4 * error);
        Math.Abs(mean - hotter).Should().BeGreaterThan(4 * error, "the check tells the system's temperature from a hotter one");

        // Mostly basin configurations, unlike the transition pool, which the exact committor confines to 0.02 <= q <= 0.98.
        pool.Count(r => r.ReferenceCommittor is >= 0.02 and <= 0.98).Should().BeLessThan(pool.Count / 10);
        simulator.DrawPool(400).Rows.Should().OnlyContain(r => r.ReferenceCommittor >= 0.02 && r.ReferenceCommittor <= 0.98);
    }

    [Fact]
    public void Odd_noise_columns_follow_the_configuration_and_even_ones_do_not()
    {
        var data = fixture.DoubleWell;
        data.ColumnNames.Should().Equal("id", "x", "y", "noise_1", "noise_2", "noise_3", "noise_4", "noise_5", "noise_6",
            "n_A", "n_B", "ref_committor");
        var xs = data.Rows.Select(r => r.X).ToArray();
        var ys = data.Rows.Select(r => r.Y).ToArray();
        for (int c = 0; c < data.NoiseColumns.Count; c++)
        {
            var column = data.NoiseColumns[c];
            var values = data.Rows.Select(r => r.Noise[c]).ToArray();
            var signal = xs.Zip(ys, (x, y) => column.IsRelevant ? column.XWeight * x + column.YWeight * y : x).ToArray();
            double correlation = Correlation(values, signal);
            if (column.IsRelevant) correlation.Should().BeGreaterThan(0.7, column.Name);
            else
            {
                Math.Abs(correlation).Should().BeLessThan(0.2, column.Name);
                Math.Abs(Correlation(values, ys)).Should().BeLessThan(0.2, column.Name);
            }
        }
        data.NoiseColumns.Count(c => c.IsRelevant).Should().Be(3);
    }

    [Fact]
    public void Same_seed_gives_identical_output_for_any_thread_count_and_other_seeds_differ()
    {
        var system = new MullerBrownSystem();
        var committor = CommittorSolver.Solve(system, 65, 65);
        string Csv(long seed, int threads)
        {
            var data = new ShootingSimulator(new ShootingSimulator.Options
            {
                System = system, Points = 40, ShotsPerPoint = 5, Seed = seed, DegreeOfParallelism = threads, Committor = committor,
            }).Run();
            var writer = new StringWriter();
            ShootingCsv.Write(data, writer);
            return writer.ToString();
        }

        string single = Csv(seed: 5, threads: 1);
        Csv(seed: 5, threads: 2).Should().Be(single);
        Csv(seed: 5, threads: 4).Should().Be(single);
        Csv(seed: 6, threads: 2).Should().NotBe(single);
    }

    [Fact]
    public void A_committor_solved_for_another_system_is_rejected()
    {
        var act = () => new ShootingSimulator(new ShootingSimulator.Options
        {
            System = new MullerBrownSystem(),
            Committor = CommittorSolver.Solve(new TiltedDoubleWellSystem(), 33, 33),
        });
        act.Should().Throw<ArgumentException>().WithMessage("*different system*");
    }

    [Fact]
    public void A_shot_that_exceeds_the_step_limit_is_counted_as_failed()
    {
        var system = new MullerBrownSystem();
        var data = new ShootingSimulator(new ShootingSimulator.Options
        {
            System = system, Points = 10, ShotsPerPoint = 4, MaxStepsPerShot = 1, NearStateFraction = 0,
            Committor = CommittorSolver.Solve(system, 65, 65),
        }).Run();
        data.FailedShots.Should().BeGreaterThan(0);
        data.Rows.Should().OnlyContain(r => r.CountA + r.CountB + r.FailedShots == 4);
    }

    /// <summary>
    /// Pearson chi-square per degree of freedom over points with 0.02 &lt; p &lt; 0.98, and its standard deviation
    /// under the binomial null: Var[(n - Kp)^2 / Kpq] = 2 + (1 - 6pq) / (Kpq).
    /// </summary>
    private static (double ChiSquare, double StandardDeviation, int Points) PearsonPerDegreeOfFreedom(
        ShootingDataset data, Func<double, double> reference)
    {
        double sum = 0, variance = 0;
        int count = 0;
        foreach (var row in data.Rows)
        {
            double p = reference(row.ReferenceCommittor), pq = p * (1 - p);
            if (row.ReferenceCommittor is <= 0.02 or >= 0.98) continue;
            int shots = row.CountA + row.CountB;
            sum += Math.Pow(row.CountB - shots * p, 2) / (shots * pq);
            variance += 2 + (1 - 6 * pq) / (shots * pq);
            count++;
        }
        return (sum / count, Math.Sqrt(variance) / count, count);
    }

    private static double Correlation(double[] a, double[] b)
    {
        double ma = a.Average(), mb = b.Average();
        double cov = a.Zip(b, (u, v) => (u - ma) * (v - mb)).Sum();
        return cov / Math.Sqrt(a.Sum(u => (u - ma) * (u - ma)) * b.Sum(v => (v - mb) * (v - mb)));
    }
}
