namespace RcML.Committor;

/// <summary>One bin of a calibration table: predicted p_B against the observed fraction of shots that reached B.</summary>
/// <param name="Low">Lower edge of predicted p_B.</param>
/// <param name="High">Upper edge of predicted p_B.</param>
/// <param name="Configurations">Configurations whose prediction falls in the bin.</param>
/// <param name="Shots">Shots from them.</param>
/// <param name="MeanPredicted">Shot-weighted mean predicted p_B.</param>
/// <param name="Observed">Observed fraction of shots that reached B.</param>
public sealed record CalibrationBin(double Low, double High, int Configurations, double Shots, double MeanPredicted, double Observed);
