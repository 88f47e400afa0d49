using System.Globalization;
using System.Text.Json;
using FluentAssertions;
using Xunit;

namespace RcML.Tests.Cli;

/// <summary>The rcml command line as users run it: a separate process, real files.</summary>
public class TrainPredictEvaluateTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Train_then_predict_and_evaluate_on_a_periodic_CV()
    {
        var data = SyntheticCsv.Write(_dir.File("shots.csv"), rows: 600);
        var model = _dir.File("rc.zip");

        var train = Programs.Rcml("train", "--data", data, "--model", model, "--periodic", "phi", "--max-epochs", "150", "--nodes", "16", "--layers", "2");
        train.ExitCode.Should().Be(0, train.ToString());
        train.Stdout.Should().Contain("validation cross-entropy");
        train.Stderr.Should().NotContain("epoch ", "progress stays quiet in a pipe without --verbose");
        File.Exists(model).Should().BeTrue();

        var scored = _dir.File("scored.csv");
        var predict = Programs.Rcml("predict", "--model", model, "--data", data, "--out", scored);
        predict.ExitCode.Should().Be(0, predict.ToString());
        var lines = File.ReadAllLines(scored);
        lines[0].Should().Be("id,phi,x,noise,n_A,n_B,ref_committor,ReactionCoordinate,Committor");
        lines.Should().HaveCount(601);
        var first = lines[1].Split(',');
        float q = float.Parse(first[^2], CultureInfo.InvariantCulture), p = float.Parse(first[^1], CultureInfo.InvariantCulture);
        p.Should().BeApproximately(1 / (1 + MathF.Exp(-q)), 1e-5f);

        var evaluate = Programs.Rcml("evaluate", "--model", model, "--data", data, "--json");
        evaluate.ExitCode.Should().Be(0, evaluate.ToString());
        using var json = JsonDocument.Parse(evaluate.Stdout);
        var root = json.RootElement;
        root.GetProperty("configurations").GetInt32().Should().Be(600);
        double ce = root.GetProperty("cross_entropy").GetDouble();
        double reference = root.GetProperty("reference_cross_entropy").GetDouble();
        ce.Should().BeLessThan(root.GetProperty("constant_cross_entropy").GetDouble());
        root.GetProperty("excess_cross_entropy").GetDouble().Should().BeApproximately(ce - reference, 1e-9);
        root.GetProperty("excess_cross_entropy").GetDouble().Should().BeLessThan(0.05);
        root.GetProperty("calibration").GetArrayLength().Should().BeGreaterThan(3);
    }

    [Fact]
    public void Training_on_a_terminal_shows_a_live_progress_line()
    {
        // util-linux `script` gives the process a pseudo-terminal, as a user's shell would.
        var data = SyntheticCsv.Write(_dir.File("shots.csv"), rows: 300);
        var command = $"dotnet '{Programs.BuiltAssembly("src/RcML.Cli", "RcML.Cli")}' train --data '{data}' --model '{_dir.File("m.zip")}' " +
                      "--max-epochs 400 --patience 1000 --nodes 32";
        var run = Programs.Program("script", ["-qec", command, "/dev/null"]);
        run.ExitCode.Should().Be(0, run.ToString());
        run.Stdout.Should().Contain("\repoch ").And.MatchRegex(@"epoch +\d+/400 +train \d\.\d{5} +validation \d\.\d{5}");
    }

    [Fact]
    public void Verbose_training_prints_progress_even_in_a_pipe()
    {
        var data = SyntheticCsv.Write(_dir.File("shots.csv"), rows: 100);
        var run = Programs.Rcml("train", "--data", data, "--model", _dir.File("m.zip"), "--max-epochs", "60", "--nodes", "8", "--verbose");
        run.ExitCode.Should().Be(0, run.ToString());
        run.Stderr.Should().Contain("epoch     1/60").And.Contain("epoch    50/60");
    }

    [Theory]
    [InlineData("id,phi,x,n_A,n_B\n1,10,0.5,3,1\n2,nan,0.1,1,1\n", "shots.csv:3: column 'phi'", "NaN")]
    [InlineData("id,phi,x,n_A,n_B\n1,10,0.5,3,1\n2,20,0.1,-1,1\n", "shots.csv:3: column 'n_A'", "non-negative")]
    [InlineData("id,phi,x,n_A,n_B\n1,10,0.5,3,1\n2,20,0.1,0,0\n", "shots.csv:3", "at least one shot")]
    [InlineData("id,phi,x,n_A\n1,10,0.5,3\n", "column 'n_B'", "missing")]
    [InlineData("id,phi,x,n_A,n_B\n1,10,0.5,3,1\n2,20,0.1\n", "shots.csv:3", "expected 5 comma-separated fields")]
    [InlineData("id,phi,x,n_A,n_B\n", "shots.csv", "no data rows")]
    [InlineData("id,phi,x,n_A,n_B\n1,10,0.5,3,0\n2,20,0.1,2,0\n", "shots.csv", "unidentifiable")]
    [InlineData("id,phi,x,n_A,n_B\n1,10,0.5,3,1\n2,20,abc,2,1\n", "shots.csv:3: column 'x'", "found 'abc'")]
    public void Bad_input_fails_clearly_and_leaves_no_model(string csv, string where, string what)
    {
        var data = _dir.File("shots.csv", csv);
        var model = _dir.File("rc.zip");
        var run = Programs.Rcml("train", "--data", data, "--model", model);
        run.ExitCode.Should().Be(2, run.ToString());
        run.Stderr.Should().Contain("rcml: error:").And.Contain(where).And.Contain(what);
        File.Exists(model).Should().BeFalse();
    }

    [Fact]
    public void A_failed_training_never_replaces_an_existing_model()
    {
        var model = _dir.File("rc.zip", "previous good model");
        var run = Programs.Rcml("train", "--data", _dir.File("shots.csv", "x,n_A,n_B\n1,1,0\n"), "--model", model);
        run.ExitCode.Should().NotBe(0);
        File.ReadAllText(model).Should().Be("previous good model");
        Directory.GetFiles(_dir.Path, "*.tmp").Should().BeEmpty();
    }

    [Fact]
    public void Predict_names_a_missing_model_column()
    {
        var data = SyntheticCsv.Write(_dir.File("shots.csv"), rows: 60);
        var model = _dir.File("rc.zip");
        Programs.Rcml("train", "--data", data, "--model", model, "--max-epochs", "5", "--nodes", "4").ExitCode.Should().Be(0);
        var configs = _dir.File("configs.csv", "phi,noise\n10,0.3\n");
        var run = Programs.Rcml("predict", "--model", model, "--data", configs, "--out", _dir.File("out.csv"));
        run.ExitCode.Should().Be(2);
        run.Stderr.Should().Contain("configs.csv:1: column 'x'").And.Contain("the model reads this column");
    }
}
