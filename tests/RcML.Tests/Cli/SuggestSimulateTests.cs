using System.Globalization;
using FluentAssertions;
using Microsoft.ML;
using RcML.Committor;
using RcML.Data;
using Xunit;

namespace RcML.Tests.Cli;

/// <summary>rcml simulate --pool, rcml suggest and rcml simulate --from as processes: one round of the sampling loop.</summary>
public class SuggestSimulateTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string[][] Rows(string path) => File.ReadAllLines(path).Skip(1).Select(l => l.Split(',')).ToArray();

    private static string[] Header(string path) => File.ReadLines(path).First().Split(',');

    [Fact]
    public void A_pool_is_scored_picked_from_and_shot_from()
    {
        var pool = _dir.File("pool.csv");
        var run = Programs.Rcml("simulate", "--pool", "400", "--noise-dims", "2", "--seed", "3", "--out", pool);
        run.ExitCode.Should().Be(0, run.ToString());
        Header(pool).Should().Equal("id", "x", "y", "noise_1", "noise_2", "ref_committor");
        Rows(pool).Should().HaveCount(400);
        Rows(pool).Select(r => double.Parse(r[5], CultureInfo.InvariantCulture)).Should().OnlyContain(q => q >= 0.02 && q <= 0.98);

        // An ensemble of three small networks trained on simulated shots.
        var train = _dir.File("train.csv");
        Programs.Rcml("simulate", "--points", "200", "--shots", "5", "--noise-dims", "2", "--seed", "4", "--out", train).ExitCode.Should().Be(0);
        var data = ShootingData.Load(train);
        var ml = new MLContext(seed: 1);
        var ensemble = ml.Transforms.Concatenate("Features", data.FeatureNames.ToArray())
            .Append(ml.ReactionCoordinates().Ensembles.Trainer(new CommittorTrainerOptions { Inputs = data.Features.ToList(), MaxEpochs = 40, Nodes = 8 }, members: 3))
            .Fit(data.ToDataView()).LastTransformer;
        var model = _dir.File("ens.zip");
        ensemble.Save(model);

        var next = _dir.File("next.csv");
        run = Programs.Rcml("suggest", "--model", model, "--candidates", pool, "--count", "30", "--out", next, "--strategy", "uncertainty", "--seed", "2");
        run.ExitCode.Should().Be(0, run.ToString());
        run.Stdout.Should().Contain("picked 30 of 400 candidates (uncertainty, seed 2)");
        Header(next).Should().Equal("id", "x", "y", "noise_1", "noise_2", "ref_committor", "q", "p_B", "p_B_std", "weight");
        var picked = Rows(next);
        picked.Select(r => r[0]).Should().OnlyHaveUniqueItems().And.HaveCount(30);
        var poolRows = Rows(pool).ToDictionary(r => r[0]);
        picked.Should().OnlyContain(r => poolRows[r[0]].SequenceEqual(r.Take(6)), "picked rows are pool rows, ids kept");
        picked.Should().OnlyContain(r => r[8] == r[9], "the uncertainty weight is the spread");
        var again = _dir.File("again.csv");
        Programs.Rcml("suggest", "--model", model, "--candidates", pool, "--count", "30", "--out", again, "--strategy", "uncertainty", "--seed", "2").ExitCode.Should().Be(0);
        File.ReadAllText(again).Should().Be(File.ReadAllText(next), "seeded");

        var shot = _dir.File("shot.csv");
        run = Programs.Rcml("simulate", "--from", next, "--shots", "4", "--noise-dims", "2", "--seed", "9", "--out", shot);
        run.ExitCode.Should().Be(0, run.ToString());
        Header(shot).Should().Equal("id", "x", "y", "noise_1", "noise_2", "n_A", "n_B", "ref_committor", "q", "p_B", "p_B_std", "weight");
        var shots = Rows(shot);
        shots.Select(r => r[0]).Should().Equal(picked.Select(r => r[0]), "ids and order kept");
        for (int i = 0; i < shots.Length; i++)
        {
            shots[i][1..3].Should().Equal(picked[i][1..3]);
            (int.Parse(shots[i][5], CultureInfo.InvariantCulture) + int.Parse(shots[i][6], CultureInfo.InvariantCulture)).Should().Be(4);
            shots[i][7].Should().Be(picked[i][5], "the exact committor of the same configuration");
            shots[i][8..].Should().Equal(picked[i][6..], "extra columns kept");
        }
        ShootingData.Load(shot, new ShootingDataOptions { Features = ["x", "y", "noise_*"] }).Count.Should().Be(30, "the new shots load as training data");
    }

    [Fact]
    public void Suggest_and_simulate_refuse_bad_input_clearly()
    {
        var spec = RcML.Tests.Analysis.AttributionTestNetworks.IgnoresNoise(); // reads phi, x, noise
        var model = RcML.Tests.Export.ModelZips.Save(spec, _dir.File("rc.zip"));
        var pool = _dir.File("pool.csv", "id,phi,x,noise\n1,10,0.5,0.1\n2,-20,0.1,0.3\n");

        var run = Programs.Rcml("suggest", "--model", model, "--candidates", _dir.File("lacks.csv", "id,phi,x\n1,10,0.5\n"), "--count", "1", "--out", _dir.File("o1.csv"));
        run.ExitCode.Should().Be(2, run.ToString());
        run.Stderr.Should().Contain("lacks.csv").And.Contain("noise").And.Contain("the model reads this column");

        run = Programs.Rcml("suggest", "--model", model, "--candidates", pool, "--count", "3", "--out", _dir.File("o2.csv"));
        run.ExitCode.Should().Be(2, run.ToString());
        run.Stderr.Should().Contain("--count 3 is larger than the pool").And.Contain("has 2 candidates");

        run = Programs.Rcml("suggest", "--model", model, "--candidates", _dir.File("empty.csv", "id,phi,x,noise\n"), "--count", "1", "--out", _dir.File("o3.csv"));
        run.ExitCode.Should().Be(2, run.ToString());
        run.Stderr.Should().Contain("empty.csv");

        run = Programs.Rcml("suggest", "--model", model, "--candidates", pool, "--count", "1", "--strategy", "uncertainty", "--out", _dir.File("o4.csv"));
        run.ExitCode.Should().Be(2, run.ToString());
        run.Stderr.Should().Contain("ensemble");
        new[] { "o1.csv", "o2.csv", "o3.csv", "o4.csv" }.Should().OnlyContain(f => !File.Exists(Path.Combine(_dir.Path, f)));

        run = Programs.Rcml("simulate", "--from", _dir.File("noxy.csv", "id,a\n1,2\n"), "--out", _dir.File("o5.csv"));
        run.ExitCode.Should().Be(2, run.ToString());
        run.Stderr.Should().Contain("noxy.csv").And.Contain("x and y");
        run = Programs.Rcml("simulate", "--from", _dir.File("far.csv", "x,y\n50,0\n"), "--out", _dir.File("o6.csv"));
        run.ExitCode.Should().Be(2, run.ToString());
        run.Stderr.Should().Contain("far.csv").And.Contain("outside");
        run = Programs.Rcml("simulate", "--pool-from", "equilibrium", "--out", _dir.File("o7.csv"));
        run.ExitCode.Should().Be(2, run.ToString());
        run.Stderr.Should().Contain("--pool-from").And.Contain("--pool N");
        File.Exists(_dir.File("o7.csv")).Should().BeFalse();
    }

    [Fact]
    public void An_equilibrium_pool_is_mostly_basin_configurations()
    {
        var pool = _dir.File("pool.csv");
        var run = Programs.Rcml("simulate", "--system", "three-well", "--pool", "2000", "--pool-from", "equilibrium", "--noise-dims", "0", "--out", pool);
        run.ExitCode.Should().Be(0, run.ToString());
        run.Stdout.Should().Contain("outside A and B");
        var q = Rows(pool).Select(r => double.Parse(r[3], CultureInfo.InvariantCulture)).ToArray();
        q.Should().HaveCount(2000);
        q.Count(v => v is < 0.02 or > 0.98).Should().BeGreaterThan(1800, "a run at kT stays in the basins most of the time");
        q.Should().Contain(v => v > 0.1 && v < 0.9, "but crosses the barriers too");
    }
}
