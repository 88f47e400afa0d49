using System.Globalization;
using FluentAssertions;
using RcML.Simulation;
using Xunit;

namespace RcML.Tests.Simulation;

public sealed class ShootingCsvTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rcml-csv-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static ShootingDataset Dataset(params ShootingPoint[] rows) =>
        new("test", 1.0, 3, [new NoiseColumn("noise_1", 0.7, 0.3, 0.3), new NoiseColumn("noise_2", 0, 0, 1)], rows);

    [Fact]
    public void Writes_header_and_round_trippable_invariant_numbers_whatever_the_culture()
    {
        var point = new ShootingPoint(0, -0.1 / 3, 1e-17, [Math.PI, -2.5e300], 1, 2, 0, 0.123456789012345678);
        string path = Path.Combine(_directory, "shots.csv");
        var culture = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            ShootingCsv.Write(Dataset(point), path);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }

        var lines = File.ReadAllLines(path);
        lines[0].Should().Be("id,x,y,noise_1,noise_2,n_A,n_B,ref_committor");
        var fields = lines[1].Split(',');
        fields.Should().HaveCount(8);
        double.Parse(fields[1], CultureInfo.InvariantCulture).Should().Be(point.X);
        double.Parse(fields[2], CultureInfo.InvariantCulture).Should().Be(point.Y);
        double.Parse(fields[3], CultureInfo.InvariantCulture).Should().Be(Math.PI);
        double.Parse(fields[4], CultureInfo.InvariantCulture).Should().Be(-2.5e300);
        fields[5].Should().Be("1");
        fields[6].Should().Be("2");
        double.Parse(fields[7], CultureInfo.InvariantCulture).Should().Be(point.ReferenceCommittor);
        Directory.GetFiles(_directory).Should().ContainSingle();
    }

    [Fact]
    public void A_failed_write_leaves_the_existing_file_untouched_and_no_temporary_behind()
    {
        string path = Path.Combine(_directory, "shots.csv");
        ShootingCsv.Write(Dataset(new ShootingPoint(0, 0, 0, [1, 2], 1, 2, 0, 0.5)), path);
        string good = File.ReadAllText(path);

        // The second row has no noise values: writing fails half way through.
        var broken = Dataset(new ShootingPoint(0, 0, 0, [1, 2], 1, 2, 0, 0.5), new ShootingPoint(1, 0, 0, null!, 1, 2, 0, 0.5));
        var act = () => ShootingCsv.Write(broken, path);
        act.Should().Throw<Exception>();

        File.ReadAllText(path).Should().Be(good);
        Directory.GetFiles(_directory).Should().ContainSingle();
    }
}
