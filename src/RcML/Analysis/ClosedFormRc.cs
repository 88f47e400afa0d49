using System.Globalization;
using System.Text.RegularExpressions;
using RcML.Committor;
using RcML.Data;

namespace RcML.Analysis;

/// <summary>
/// A closed-form reaction coordinate q~(x) = b0 + sum of coefficient x basis function, distilled from a committor
/// network (<see cref="Distill(CommittorNetworkSpec, ShootingData, ClosedFormRcOptions?)"/>): a formula to read, and to
/// put into a biasing input (<see cref="ToPlumed"/>) or code (<see cref="CSharp"/>). p_B~ = sigmoid(q~).
/// </summary>
/// <param name="Intercept">The constant b0.</param>
/// <param name="Terms">The terms, in the order the greedy path added them.</param>
/// <param name="Cvs">The CVs the formula uses, in the network's input order.</param>
/// <param name="Candidates">The CVs it could use (representatives of the network's top CV groups).</param>
/// <param name="Path">Held-out cross-entropy after each greedy step; the chosen step is the first within one standard error of the best.</param>
/// <param name="CrossEntropy">Cross-entropy per shot of the formula on the data it was distilled on.</param>
/// <param name="NetworkCrossEntropy">The network's cross-entropy per shot on the same data.</param>
/// <param name="HeldOutCrossEntropy">The chosen step's cross-validated cross-entropy per shot.</param>
public sealed record ClosedFormRc(double Intercept, IReadOnlyList<ClosedFormTerm> Terms, IReadOnlyList<NetworkInput> Cvs,
    IReadOnlyList<NetworkInput> Candidates, IReadOnlyList<ClosedFormPathStep> Path, double CrossEntropy, double NetworkCrossEntropy,
    double HeldOutCrossEntropy)
{
    /// <summary>Distills a network on shooting data that has a column for each of its inputs.</summary>
    public static ClosedFormRc Distill(CommittorNetworkSpec spec, ShootingData data, ClosedFormRcOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Distill(spec, FeatureAttribution.ColumnsFor(spec, data), data.CountA, data.CountB, options);
    }

    /// <summary>
    /// Distills a network on raw CV columns (one per input, in input order) and shot counts: basis functions over the
    /// representatives of the network's top CV groups (linear terms, sin/cos of angles, pairwise products, squares),
    /// chosen greedily by fit to the network's p_B blended with the shots, the number of terms by cross-validated
    /// cross-entropy of the shots (the fewest within one standard error of the best).
    /// </summary>
    public static ClosedFormRc Distill(CommittorNetworkSpec spec, IReadOnlyList<float[]> columns, float[] countA, float[] countB,
        ClosedFormRcOptions? options = null) => ClosedFormDistiller.Run(spec, columns, countA, countB, options ?? new ClosedFormRcOptions());

    /// <summary>q~ for raw CV values looked up by name.</summary>
    public double Evaluate(Func<string, double> value) => Intercept + Terms.Sum(t => t.Coefficient * t.Term.Evaluate(value));

    /// <summary>Readable formula, e.g. <c>q = 0.5 + 2 sin(a) - 1.5 cos(b)</c> (4 significant digits; angles in the data's unit).</summary>
    public string Formula =>
        "q = " + Short(Intercept) + string.Concat(Terms.Select(t => $" {(t.Coefficient < 0 ? "-" : "+")} {Short(Math.Abs(t.Coefficient))}*{t.Term.Text}"));

    /// <summary>A C# expression of q over variables named as the CVs (full precision).</summary>
    public string CSharp => Full(Intercept) + string.Concat(Terms.Select(t => $" {(t.Coefficient < 0 ? "-" : "+")} {Full(Math.Abs(t.Coefficient))} * {t.Term.CSharp}"));

    /// <summary>
    /// One PLUMED CUSTOM line computing q~ from the CVs (their labels; angles in the data's unit, so a formula
    /// distilled on degrees converts them to radians itself).
    /// </summary>
    public string ToPlumed(string label = "rc_formula")
    {
        var names = Cvs.Select((cv, i) => (cv.Name, Variable: Regex.IsMatch(cv.Name, "^[A-Za-z][A-Za-z0-9_]*$") ? cv.Name : $"x{i}"))
            .ToDictionary(p => p.Name, p => p.Variable);
        string func = Full(Intercept) + string.Concat(Terms.Select(t => $"{(t.Coefficient < 0 ? "-" : "+")}{Full(Math.Abs(t.Coefficient))}*{t.Term.Lepton(n => names[n])}"));
        if (Cvs.Count == 0) return $"{label}: CONSTANT VALUE={Full(Intercept)}";
        return $"{label}: CUSTOM ARG={string.Join(",", Cvs.Select(c => c.Name))} VAR={string.Join(",", Cvs.Select(c => names[c.Name]))} FUNC={func} PERIODIC=NO";
    }

    private static string Short(double v) => v.ToString("G4", CultureInfo.InvariantCulture);

    private static string Full(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
