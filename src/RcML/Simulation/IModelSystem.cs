namespace RcML.Simulation;

/// <summary>
/// A 2D model system for overdamped Langevin dynamics dx = -grad V / gamma dt + sqrt(2 kT / gamma) dW,
/// with two metastable states A and B. The committor is the probability to reach B before A.
/// </summary>
public interface IModelSystem
{
    /// <summary>Registry name, e.g. "muller-brown".</summary>
    string Name { get; }

    /// <summary>The box the exact committor is solved on; its edges are reflecting for both the PDE and the simulator.</summary>
    DomainBox Domain { get; }

    /// <summary>Thermal energy kT used unless a caller overrides it.</summary>
    double DefaultKT { get; }

    /// <summary>Friction coefficient gamma.</summary>
    double Friction { get; }

    /// <summary>Euler-Maruyama time step, small against the stiffest curvature of V in the reachable region.</summary>
    double TimeStep { get; }

    /// <summary>Potential energy V(x, y).</summary>
    double Energy(double x, double y);

    /// <summary>Gradient of V at (x, y).</summary>
    (double Gx, double Gy) Gradient(double x, double y);

    /// <summary>Whether (x, y) is in state A (committor 0).</summary>
    bool InA(double x, double y);

    /// <summary>Whether (x, y) is in state B (committor 1).</summary>
    bool InB(double x, double y);
}
