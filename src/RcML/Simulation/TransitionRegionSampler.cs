namespace RcML.Simulation;

/// <summary>
/// Draws configurations from the Boltzmann distribution restricted to a committor range (the whole range [0, 1] being
/// the domain outside A and B), by rejection:
/// a uniform proposal over the grid cells whose corner committors overlap the range, accepted with
/// exp(-(V - V_ref) / kT) (V_ref the lowest corner energy of those cells) and kept only if q lies in the range.
/// The grid only bounds the proposal; the configurations themselves are continuous. Where V dips below every corner of
/// its cell the acceptance is capped at 1, a slight distortion of the sampling density only: the shot counts and the
/// reference committor of a configuration are exact wherever it was drawn.
/// </summary>
internal sealed class TransitionRegionSampler
{
    /// <summary>Configurations with q below this count as near A, above 1 - this as near B.</summary>
    public const double StateMargin = 0.02;

    /// <summary>Equal-width committor bins between the margins, for stratified draws.</summary>
    public const int StratificationBins = 8;

    private const int MaxAttempts = 20_000_000;

    private readonly ExactCommittor _committor;
    private readonly IModelSystem _system;
    private readonly double _kT, _hx, _hy;
    private readonly Stratum[] _strata;

    private sealed record Stratum(string Description, double Low, double High, int[] Cells, double ReferenceEnergy);

    public TransitionRegionSampler(ExactCommittor committor)
    {
        _committor = committor;
        _system = committor.System;
        _kT = committor.KT;
        _hx = _system.Domain.Width / (committor.Nx - 1);
        _hy = _system.Domain.Height / (committor.Ny - 1);
        var strata = new List<Stratum>
        {
            Build("near A", 0, StateMargin),
            Build("near B", 1 - StateMargin, 1),
            Build("transition region", StateMargin, 1 - StateMargin),
            Build("outside A and B", 0, 1),
        };
        double width = (1 - 2 * StateMargin) / StratificationBins;
        for (int b = 0; b < StratificationBins; b++)
            strata.Add(Build($"committor bin {b + 1}/{StratificationBins}", StateMargin + b * width, StateMargin + (b + 1) * width));
        _strata = strata.ToArray();
    }

    public const int NearA = 0, NearB = 1, Transition = 2, OutsideStates = 3, FirstBin = 4;

    private Stratum Build(string description, double low, double high)
    {
        var cells = new List<int>();
        double referenceEnergy = double.PositiveInfinity;
        var box = _system.Domain;
        int nx = _committor.Nx, ny = _committor.Ny;
        for (int j = 0; j < ny - 1; j++)
        for (int i = 0; i < nx - 1; i++)
        {
            double q00 = _committor.NodeValue(i, j), q10 = _committor.NodeValue(i + 1, j);
            double q01 = _committor.NodeValue(i, j + 1), q11 = _committor.NodeValue(i + 1, j + 1);
            double min = Math.Min(Math.Min(q00, q10), Math.Min(q01, q11)), max = Math.Max(Math.Max(q00, q10), Math.Max(q01, q11));
            if (max < low || min > high) continue;
            cells.Add(j * (nx - 1) + i);
            for (int c = 0; c < 4; c++)
                referenceEnergy = Math.Min(referenceEnergy, _system.Energy(box.XMin + (i + c % 2) * _hx, box.YMin + (j + c / 2) * _hy));
        }
        if (cells.Count == 0)
            throw new InvalidOperationException($"No grid cell of '{_system.Name}' has committor values in [{low}, {high}] ({description}).");
        return new Stratum(description, low, high, cells.ToArray(), referenceEnergy);
    }

    /// <summary>A configuration from stratum <paramref name="stratum"/>, outside A and B, with its exact committor.</summary>
    public (double X, double Y, double Q) Sample(int stratum, SimulationRandom random)
    {
        var s = _strata[stratum];
        var box = _system.Domain;
        int cellsPerRow = _committor.Nx - 1;
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            int cell = s.Cells[random.NextInt(s.Cells.Length)];
            double x = box.XMin + (cell % cellsPerRow + random.NextDouble()) * _hx;
            double y = box.YMin + (cell / cellsPerRow + random.NextDouble()) * _hy;
            if (random.NextDouble() >= Math.Exp(-(_system.Energy(x, y) - s.ReferenceEnergy) / _kT)) continue;
            if (_system.InA(x, y) || _system.InB(x, y)) continue;
            double q = _committor.Evaluate(x, y);
            if (q >= s.Low && q <= s.High) return (x, y, q);
        }
        throw new InvalidOperationException(
            $"Could not draw a configuration {s.Description} of '{_system.Name}' in {MaxAttempts} attempts.");
    }
}
