namespace RcML.Analysis;

/// <summary>One bin of observed shot fractions in the <see cref="IsocommittorTest"/>.</summary>
/// <param name="Low">Lower edge of the fraction of shots reaching B.</param>
/// <param name="High">Upper edge (the last bin includes 1).</param>
/// <param name="Observed">Configurations whose observed fraction falls in the bin.</param>
/// <param name="Expected">Configurations expected there if each one's shots were Binomial(n, p_B) with the model's p_B.</param>
public sealed record IsocommittorBin(double Low, double High, double Observed, double Expected);
