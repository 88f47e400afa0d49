using System.Globalization;
using System.Text;
using RcML.IO;

namespace RcML.Simulation;

/// <summary>
/// Shooting data of a model system seen the way molecular shooting data is: 90 collective variables computed from the
/// configuration, none of which is a true coordinate. 16 angles (degrees, periodic; 12 informative: the direction of
/// the configuration from an anchor point, 4 pure noise), 12 distances and 12 switching-function contacts to the same
/// anchors, 18 near-duplicate linear projections (6 directions, 3 noisy copies each at different scales), 12 nonlinear
/// functions, and 20 noise columns (Gaussian, uniform, heavy-tailed). Every informative CV carries measurement noise,
/// so the committor is not an exact function of the CVs.
/// </summary>
/// <remarks>
/// Anchors and functions act on the configuration scaled to the unit square of the system's domain. The CV noise of
/// point i comes from its own random stream (seed, i), so the columns depend only on the configuration, the seed and i.
/// The true coordinates are written as ref_x and ref_y, which readers leave out of the default features like every
/// ref_ column.
/// </remarks>
public static class MolecularCvs
{
    private const int InformativeAngles = 12, NoiseAngles = 4, Distances = 12, Contacts = 12, Directions = 6, Copies = 3,
        Nonlinear = 12, NoiseColumns = 20;
    private const double AngleNoiseDegrees = 4, DistanceNoise = 0.02, ContactNoise = 0.03, NonlinearNoise = 0.05, ContactRadius = 0.3;
    private static readonly double[] CopyNoise = [0.01, 0.04, 0.1];
    private static readonly double[] CopyScale = [1, -2.5, 0.4];

    // Anchor points in unit-square coordinates: 6 inside the data's region (angles wrap around +-180 degrees there), 6 outside.
    private static readonly (double U, double V)[] Anchors =
    [
        (0.3, 0.35), (0.7, 0.35), (0.5, 0.5), (0.35, 0.65), (0.65, 0.65), (0.5, 0.25),
        (-0.4, 0.5), (1.4, 0.5), (0.5, -0.4), (0.5, 1.4), (-0.3, -0.3), (1.3, 1.3),
    ];

    /// <summary>Column names in order: dih_1..dih_16, dist_1..12, contact_1..12, lin_1..18, nl_1..12, noise_1..20.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        .. Enumerable.Range(1, InformativeAngles + NoiseAngles).Select(i => $"dih_{i}"),
        .. Enumerable.Range(1, Distances).Select(i => $"dist_{i}"),
        .. Enumerable.Range(1, Contacts).Select(i => $"contact_{i}"),
        .. Enumerable.Range(1, Directions * Copies).Select(i => $"lin_{i}"),
        .. Enumerable.Range(1, Nonlinear).Select(i => $"nl_{i}"),
        .. Enumerable.Range(1, NoiseColumns).Select(i => $"noise_{i}"),
    ];

    /// <summary>The glob pattern of the periodic columns (angles in degrees), for <c>--periodic</c>.</summary>
    public const string PeriodicPattern = "dih_*";

    /// <summary>The CVs of configuration (x, y) of point <paramref name="index"/>.</summary>
    public static double[] Compute(DomainBox domain, double x, double y, long seed, int index)
    {
        var random = new SimulationRandom(~seed, index); // not the simulator's stream of the same point
        double u = (x - domain.XMin) / domain.Width, v = (y - domain.YMin) / domain.Height;
        var cvs = new List<double>(Names.Count);
        for (int k = 0; k < InformativeAngles; k++)
        {
            var (au, av) = Anchors[k];
            cvs.Add(Wrap(Math.Atan2(v - av, u - au) * 180 / Math.PI + AngleNoiseDegrees * random.NextGaussian()));
        }
        for (int k = 0; k < NoiseAngles; k++) cvs.Add(Wrap(360 * random.NextDouble()));
        for (int k = 0; k < Distances; k++) cvs.Add(10 * (Distance(u, v, Anchors[k]) + DistanceNoise * random.NextGaussian()));
        for (int k = 0; k < Contacts; k++)
            cvs.Add(1 / (1 + Math.Pow(Distance(u, v, Anchors[k]) / ContactRadius, 6)) + ContactNoise * random.NextGaussian());
        for (int d = 0; d < Directions; d++)
        {
            double angle = Math.PI * d / Directions, projection = Math.Cos(angle) * u + Math.Sin(angle) * v;
            for (int c = 0; c < Copies; c++) cvs.Add(CopyScale[c] * (projection + CopyNoise[c] * random.NextGaussian()) + c);
        }
        double[] nonlinear =
        [
            u * u, v * v, u * v, Math.Sin(3 * u), Math.Cos(2 * v), Math.Exp(-(u - 0.5) * (u - 0.5) / 0.1),
            Math.Tanh(4 * (u - v)), Math.Log(1 + Math.Abs(u + v)), u * u * u - v, (u - v) * (u - v), Math.Sqrt(u * u + v * v),
            Math.Sin(2 * Math.PI * (u + v)),
        ];
        foreach (double f in nonlinear) cvs.Add(f + NonlinearNoise * random.NextGaussian());
        for (int k = 0; k < NoiseColumns; k++)
            cvs.Add((k % 4) switch
            {
                0 or 1 => random.NextGaussian() * (1 + k),
                2 => random.NextDouble() * 5 - 2,
                _ => Math.Exp(1.5 * random.NextGaussian()),
            });
        return cvs.ToArray();
    }

    /// <summary>
    /// Writes <paramref name="dataset"/> as CSV with molecular CVs instead of x, y and the noise columns:
    /// id, ref_x, ref_y, the <see cref="Names"/> columns, n_A, n_B, ref_committor. Atomic: a failed write leaves no partial file.
    /// </summary>
    public static void Write(ShootingDataset dataset, DomainBox domain, long seed, string path)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        AtomicFile.WriteText(path, writer =>
        {
            writer.NewLine = "\n";
            writer.WriteLine(string.Join(',', ["id", "ref_x", "ref_y", .. Names, "n_A", "n_B", "ref_committor"]));
            var line = new StringBuilder();
            foreach (var row in dataset.Rows)
            {
                line.Clear().Append(row.Id.ToString(CultureInfo.InvariantCulture)).Append(',').Append(ShootingCsv.Format(row.X)).Append(',').Append(ShootingCsv.Format(row.Y));
                foreach (double value in Compute(domain, row.X, row.Y, seed, row.Id)) line.Append(',').Append(ShootingCsv.Format(value));
                line.Append(',').Append(row.CountA.ToString(CultureInfo.InvariantCulture))
                    .Append(',').Append(row.CountB.ToString(CultureInfo.InvariantCulture))
                    .Append(',').Append(ShootingCsv.Format(row.ReferenceCommittor));
                writer.WriteLine(line);
            }
        });
    }

    private static double Distance(double u, double v, (double U, double V) anchor) =>
        Math.Sqrt((u - anchor.U) * (u - anchor.U) + (v - anchor.V) * (v - anchor.V));

    private static double Wrap(double degrees) => degrees - 360 * Math.Floor((degrees + 180) / 360);
}
