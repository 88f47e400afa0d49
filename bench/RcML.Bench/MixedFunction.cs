using RcML.AutoML;

namespace RcML.Bench;

/// <summary>
/// Mixed categorical/conditional test function: kind in {a,b,c}; x in [-5,5]; m int [0,10]; kind a -> u log [1e-3,10];
/// kind b -> n int [1,20]; kind c -> flag bool. Minimum 0 at kind=a, u=10^0.5, x=1, m=3. Before u is tuned, kind=c with
/// flag=true looks better than a. Also compiled into the tuner tests (linked from RcML.Tests.csproj).
/// </summary>
internal static class MixedFunction
{
    /// <summary>The search space (mirrored in bench/peers/optuna_server.py).</summary>
    public static SearchSpace Space() => new SearchSpace()
        .AddChoice("kind", ["a", "b", "c"])
        .AddFloat("x", -5, 5)
        .AddInt("m", 0, 10)
        .AddFloat("u", 1e-3, 10, log: true, when: Condition.In("kind", "a"))
        .AddInt("n", 1, 20, when: Condition.In("kind", "b"))
        .AddBool("flag", when: Condition.In("kind", "c"));

    /// <summary>The loss of a parameter set.</summary>
    public static double Evaluate(Parameter p)
    {
        double x = p.GetDouble("x"), m = p.GetInt("m");
        double common = 0.1 * (x - 1) * (x - 1) + 0.02 * (m - 3) * (m - 3);
        return p.GetString("kind") switch
        {
            "a" => common + Math.Pow(Math.Log10(p.GetDouble("u")) - 0.5, 2),
            "b" => common + 0.3 + 0.05 * Math.Pow(p.GetInt("n") - 7, 2),
            _ => common + 1.0 - (p.GetBool("flag") ? 0.5 : 0),
        };
    }
}
