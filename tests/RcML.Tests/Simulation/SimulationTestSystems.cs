using RcML.Simulation;

namespace RcML.Tests.Simulation;

internal static class SimulationTestSystems
{
    public static (Disc A, Disc B) States(IModelSystem system) => system switch
    {
        MullerBrownSystem m => (m.StateA, m.StateB),
        TiltedDoubleWellSystem d => (d.StateA, d.StateB),
        ThreeWellSystem t => (t.StateA, t.StateB),
        _ => throw new NotSupportedException(system.Name),
    };

    /// <summary>Nine points evenly spaced on the segment from the center of A to the center of B.</summary>
    public static (double X, double Y)[] ProbesBetweenStates(IModelSystem system)
    {
        var (a, b) = States(system);
        return Enumerable.Range(1, 9).Select(k => k / 10.0)
            .Select(t => (a.CenterX + t * (b.CenterX - a.CenterX), a.CenterY + t * (b.CenterY - a.CenterY)))
            .ToArray();
    }
}
