namespace RcML.Simulation;

/// <summary>Where <see cref="ShootingSimulator.DrawPool(int, CandidatePool, CancellationToken)"/> draws candidate configurations from.</summary>
public enum CandidatePool
{
    /// <summary>
    /// The Boltzmann distribution at the system's kT restricted to 0.02 &lt;= q &lt;= 0.98 by the exact committor: every
    /// candidate is off the committor's plateaus, a pool no user without the answer can draw.
    /// </summary>
    Transition,

    /// <summary>
    /// The Boltzmann distribution at the system's kT over the whole domain outside A and B: what a long, well-mixed
    /// Langevin run at that temperature visits, without its time correlation. Mostly basin configurations (on
    /// Muller-Brown about 0.07 % have 0.1 &lt; q &lt; 0.9, on the three-well system about 2 %), as a pool from MD is.
    /// </summary>
    Equilibrium,
}
