using System.Globalization;
using RcML.Committor;

namespace RcML.Analysis;

/// <summary>A basis function of a closed-form RC: one CV factor or the product of two.</summary>
/// <param name="Factors">The factors: (CV, its kind, how it enters).</param>
public sealed record BasisTerm(IReadOnlyList<(NetworkInput Cv, BasisFactor Factor)> Factors)
{
    /// <summary>The value of the term for raw CV values looked up by name.</summary>
    public double Evaluate(Func<string, double> value)
    {
        double product = 1;
        foreach (var (cv, factor) in Factors)
        {
            double x = value(cv.Name);
            product *= factor switch
            {
                BasisFactor.Sin => Math.Sin(x * InputExpansion.ToRadians(cv.Kind)),
                BasisFactor.Cos => Math.Cos(x * InputExpansion.ToRadians(cv.Kind)),
                _ => x,
            };
        }
        return product;
    }

    /// <summary>Readable form, e.g. <c>sin(phi)*d1</c> (angles in the data's unit).</summary>
    public string Text => Write(n => n, (f, cv) => $"{f}({cv.Name})");

    /// <summary>C# form, e.g. <c>Math.Sin(phi * Math.PI / 180) * d1</c>, over variables named as the CVs.</summary>
    public string CSharp => Write(n => n, (f, cv) =>
        $"Math.{(f == "sin" ? "Sin" : "Cos")}({cv.Name}{(cv.Kind == InputKind.PeriodicDegrees ? " * Math.PI / 180" : "")})");

    /// <summary>Lepton (PLUMED CUSTOM) form over the given variable names.</summary>
    public string Lepton(Func<string, string> variable) => Write(variable, (f, cv) =>
        cv.Kind == InputKind.PeriodicDegrees
            ? $"{f}({(Math.PI / 180).ToString("R", CultureInfo.InvariantCulture)}*{variable(cv.Name)})"
            : $"{f}({variable(cv.Name)})");

    private string Write(Func<string, string> name, Func<string, NetworkInput, string> trig) =>
        string.Join("*", Factors.Select(f => f.Factor switch
        {
            BasisFactor.Sin => trig("sin", f.Cv),
            BasisFactor.Cos => trig("cos", f.Cv),
            _ => name(f.Cv.Name),
        }));

    /// <summary>The candidate terms over some CVs: each linear CV and the sin and cos of each angle, the products of two such
    /// factors of different CVs, and the squares of linear CVs.</summary>
    public static IReadOnlyList<BasisTerm> Candidates(IReadOnlyList<NetworkInput> cvs)
    {
        var single = cvs.SelectMany(cv => cv.Kind == InputKind.Linear
            ? new[] { (cv, BasisFactor.Value) }
            : [(cv, BasisFactor.Sin), (cv, BasisFactor.Cos)]).ToArray();
        var terms = single.Select(f => new BasisTerm([f])).ToList();
        for (int i = 0; i < single.Length; i++)
            for (int j = i; j < single.Length; j++)
            {
                bool sameCv = single[i].cv.Name == single[j].cv.Name;
                if (sameCv && !(i == j && single[i].Item2 == BasisFactor.Value)) continue; // x^2 yes; sin*cos of one angle no
                terms.Add(new BasisTerm([single[i], single[j]]));
            }
        return terms;
    }
}
