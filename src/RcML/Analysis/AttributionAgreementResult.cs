namespace RcML.Analysis;

/// <summary>How much several models agree on which CVs matter.</summary>
/// <param name="Method">The attribution method compared.</param>
/// <param name="Models">Model labels, in the order of the matrix.</param>
/// <param name="Cvs">Every CV any model reads (a model that does not read a CV gives it 0).</param>
/// <param name="RankCorrelation">Spearman rank correlation of the models' attributions, [model][model]; NaN when a model's attributions are all equal.</param>
/// <param name="MeanPairwiseCorrelation">Mean over pairs of distinct models (NaN pairs skipped; NaN with fewer than two models).</param>
/// <param name="TopCount">How many top CVs per model <see cref="TopCvs"/> and <see cref="SharedTopCvs"/> consider.</param>
/// <param name="TopCvs">Each model's top CVs, largest share first.</param>
/// <param name="SharedTopCvs">CVs in every model's top list, in the first model's order.</param>
public sealed record AttributionAgreementResult(AttributionMethod Method, IReadOnlyList<string> Models, IReadOnlyList<string> Cvs,
    double[][] RankCorrelation, double MeanPairwiseCorrelation, int TopCount, IReadOnlyList<IReadOnlyList<string>> TopCvs,
    IReadOnlyList<string> SharedTopCvs);
