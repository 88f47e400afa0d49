using FluentAssertions;
using RcML.Simulation;
using Xunit;

namespace RcML.Tests.Simulation;

public sealed class ModelSystemTests
{
    [Theory]
    [InlineData("muller-brown")]
    [InlineData("double-well")]
    [InlineData("three-well")]
    public void Gradient_matches_finite_differences_of_the_energy(string name)
    {
        var system = ModelSystems.Get(name);
        var box = system.Domain;
        var random = new Random(7);
        const double h = 1e-6;
        for (int k = 0; k < 200; k++)
        {
            double x = box.XMin + random.NextDouble() * box.Width, y = box.YMin + random.NextDouble() * box.Height;
            var (gx, gy) = system.Gradient(x, y);
            double fx = (system.Energy(x + h, y) - system.Energy(x - h, y)) / (2 * h);
            double fy = (system.Energy(x, y + h) - system.Energy(x, y - h)) / (2 * h);
            gx.Should().BeApproximately(fx, 1e-5 * (1 + Math.Abs(fx)));
            gy.Should().BeApproximately(fy, 1e-5 * (1 + Math.Abs(fy)));
        }
    }

    [Theory]
    [InlineData("muller-brown")]
    [InlineData("double-well")]
    [InlineData("three-well")]
    public void States_sit_on_minima_inside_the_domain(string name)
    {
        var system = ModelSystems.Get(name);
        var (a, b) = SimulationTestSystems.States(system);
        foreach (var state in new[] { a, b })
        {
            system.Domain.Contains(state.CenterX, state.CenterY).Should().BeTrue();
            // The center is lower than every point on the rim: the disc surrounds the minimum.
            double center = system.Energy(state.CenterX, state.CenterY);
            for (int k = 0; k < 16; k++)
            {
                double angle = k * Math.PI / 8, r = state.Radius;
                system.Energy(state.CenterX + r * Math.Cos(angle), state.CenterY + r * Math.Sin(angle))
                    .Should().BeGreaterThan(center);
            }
        }
        system.InA(a.CenterX, a.CenterY).Should().BeTrue();
        system.InB(b.CenterX, b.CenterY).Should().BeTrue();
        system.InA(b.CenterX, b.CenterY).Should().BeFalse();
    }

    [Fact]
    public void Registry_is_case_insensitive_and_lists_valid_names_on_error()
    {
        ModelSystems.Get("Muller-Brown").Should().BeOfType<MullerBrownSystem>();
        ModelSystems.Get("double-well").Should().BeOfType<TiltedDoubleWellSystem>();
        ModelSystems.Get("three-well").Should().BeOfType<ThreeWellSystem>();

        var act = () => ModelSystems.Get("lennard-jones");
        act.Should().Throw<ArgumentException>()
            .WithMessage("*lennard-jones*muller-brown, double-well, three-well*");
    }
}
