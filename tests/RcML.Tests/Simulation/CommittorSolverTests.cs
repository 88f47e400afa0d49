using FluentAssertions;
using RcML.Simulation;
using Xunit;
using Xunit.Abstractions;

namespace RcML.Tests.Simulation;

public sealed class CommittorSolverTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("muller-brown")]
    [InlineData("double-well")]
    [InlineData("three-well")]
    public void Refining_the_grid_changes_the_committor_less_and_less(string name)
    {
        var system = ModelSystems.Get(name);
        var probes = SimulationTestSystems.ProbesBetweenStates(system);
        var levels = new[] { 65, 129, 257 }
            .Select(n => CommittorSolver.Solve(system, n, n))
            .Select(q => probes.Select(p => q.Evaluate(p.X, p.Y)).ToArray())
            .ToArray();

        double coarse = MaxDifference(levels[0], levels[1]);
        double fine = MaxDifference(levels[1], levels[2]);
        output.WriteLine($"{name}: max change 65->129 {coarse:G3}, 129->257 {fine:G3}");

        // Second order would shrink the change 4x per halving; demand at least 2x, and a small finest change.
        fine.Should().BeLessThan(coarse / 2);
        fine.Should().BeLessThan(1e-3);
    }

    [Theory]
    [InlineData("muller-brown")]
    [InlineData("double-well")]
    [InlineData("three-well")]
    public void Committor_is_0_in_A_1_in_B_and_within_the_unit_interval(string name)
    {
        var system = ModelSystems.Get(name);
        var q = CommittorSolver.Solve(system, 81, 81);
        var box = system.Domain;
        for (int j = 0; j < q.Ny; j++)
        for (int i = 0; i < q.Nx; i++)
        {
            double x = box.XMin + i * box.Width / (q.Nx - 1), y = box.YMin + j * box.Height / (q.Ny - 1);
            double value = q.NodeValue(i, j);
            value.Should().BeInRange(0.0, 1.0);
            if (system.InA(x, y)) value.Should().Be(0.0);
            if (system.InB(x, y)) value.Should().Be(1.0);
        }

        var (a, b) = SimulationTestSystems.States(system);
        q.Evaluate(a.CenterX, a.CenterY).Should().Be(0.0);
        q.Evaluate(b.CenterX, b.CenterY).Should().Be(1.0);
        var probes = SimulationTestSystems.ProbesBetweenStates(system);
        var values = probes.Select(p => q.Evaluate(p.X, p.Y)).ToArray();
        values.Should().OnlyContain(v => v >= 0 && v <= 1);
        // The straight line from A to B climbs from q near 0 to q near 1.
        values.First().Should().BeLessThan(0.1);
        values.Last().Should().BeGreaterThan(0.9);
    }

    [Fact]
    public void Three_well_committor_has_the_mirror_symmetry_of_the_potential()
    {
        var system = new ThreeWellSystem();
        var q = CommittorSolver.Solve(system, 81, 81);
        for (int j = 0; j < q.Ny; j++)
        for (int i = 0; i < q.Nx; i++)
            (q.NodeValue(i, j) + q.NodeValue(q.Nx - 1 - i, j)).Should().BeApproximately(1.0, 1e-8);
    }

    private static double MaxDifference(double[] a, double[] b) => a.Zip(b, (u, v) => Math.Abs(u - v)).Max();
}
