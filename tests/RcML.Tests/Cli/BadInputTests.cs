using FluentAssertions;
using Xunit;

namespace RcML.Tests.Cli;

/// <summary>The files the bad-input corpus runs on, in one folder: good data, a model, and one file per kind of bad input.</summary>
public sealed class BadInputFiles : IDisposable
{
    private readonly TempFolder _dir = new();

    public BadInputFiles()
    {
        var good = SyntheticCsv.Write(_dir.File("shots.csv"), rows: 60);
        var lines = File.ReadAllLines(good);
        File.WriteAllLines(_dir.File("one.csv"), [lines[0], "0,10.0,0.5,0.2,4,6,0.6"]);
        File.WriteAllLines(_dir.File("semicolon.csv"), lines.Select(l => l.Replace(',', ';')));
        File.WriteAllLines(_dir.File("overflow.csv"), lines.Select((l, i) => i == 5 ? Replace(l, 1, "1e39") : l));
        File.WriteAllLines(_dir.File("far.csv"), lines.Select((l, i) => i == 6 ? Replace(l, 2, "1e30") : l));
        File.WriteAllText(_dir.File("corrupt.db"), "this is not an SQLite database, it only has the name of one");
        Directory.CreateDirectory(_dir.File("folder"));
        var train = Programs.Rcml("train", "--data", good, "--model", _dir.File("model.zip"), "--max-epochs", "2");
        if (train.ExitCode != 0) throw new InvalidOperationException(train.ToString());
    }

    private static string Replace(string line, int field, string value)
    {
        var fields = line.Split(',');
        fields[field] = value;
        return string.Join(",", fields);
    }

    public string Path => _dir.Path;

    public void Dispose() => _dir.Dispose();
}

/// <summary>
/// One case per kind of bad input, each through the real rcml process: exit code 2, one line naming the file
/// (line, column) or the option, what was found and what is expected, no stack trace, and no file written or replaced.
/// </summary>
public class BadInputTests(BadInputFiles files) : IClassFixture<BadInputFiles>
{
    [Theory]
    [InlineData("tune --data shots.csv --storage sqlite:///new.db --model folder", "--model: 'folder' is a folder; expected a file path")]
    [InlineData("train --data shots.csv --model folder", "--model: 'folder' is a folder; expected a file path")]
    [InlineData("tune --data shots.csv --storage sqlite:///corrupt.db --trials 1", "corrupt.db: SQLite Error 26: 'file is not a database'")]
    [InlineData("tune --data shots.csv --storage postgresql://rc:secret@127.0.0.1:1/db?connect_timeout=2 --trials 1", "postgresql://rc:***@127.0.0.1:1")]
    [InlineData("tune --data shots.csv --storage sqlite:///new.db --trials 0", "--trials: 0 is out of range; expected at least 1")]
    [InlineData("tune --data shots.csv --storage sqlite:///new.db --trials -3", "--trials: -3 is out of range; expected at least 1")]
    [InlineData("tune --data shots.csv --storage sqlite:///new.db --time 0", "--time: 0 is out of range; expected more than 0")]
    [InlineData("tune --data shots.csv --storage sqlite:///new.db --time -5", "--time: -5 is out of range; expected more than 0")]
    [InlineData("tune --data shots.csv --storage sqlite:///new.db --max-epochs 0", "--max-epochs: 0 is out of range; expected at least 1")]
    [InlineData("tune --data shots.csv --storage sqlite:///new.db --patience -1", "--patience: -1 is out of range; expected at least 1")]
    [InlineData("tune --data one.csv --storage sqlite:///new.db", "one.csv: 1 configuration; tuning needs at least 10")]
    [InlineData("tune --data shots.csv --storage sqlite:///new.db --device cuda", "--device cuda: this build has no CUDA device")]
    [InlineData("train --data shots.csv --model m.zip --device cuda", "--device cuda: this build has no CUDA device")]
    [InlineData("tune --data folder --storage sqlite:///new.db", "folder: this is a folder; expected a CSV or PLUMED COLVAR file")]
    [InlineData("train --data semicolon.csv --model m.zip", "semicolon.csv:1: the header is one field holding ';'; expected comma-separated fields")]
    [InlineData("train --data shots.csv --model m.zip --normalization foo", "--normalization: 'foo' is not one of none, batch, layer.")]
    [InlineData("train --data shots.csv --model m.zip --validation-fraction 1", "--validation-fraction: 1 is out of range; expected a fraction in [0, 1)")]
    [InlineData("tune --data shots.csv --storage sqlite:///new.db --validation-fraction 1", "--validation-fraction: 1 is out of range")]
    [InlineData("train --data shots.csv --model m.zip --layers -1", "--layers: -1 is out of range; expected at least 0")]
    [InlineData("tune --data shots.csv --storage sqlite:///new.db --parallel 0", "--parallel: 0 is out of range; expected at least 1")]
    [InlineData("tune --data shots.csv --storage sqlite:///new.db --trials abc", "--trials: 'abc' is not a whole number.")]
    [InlineData("train --data overflow.csv --model m.zip", "overflow.csv:6: column 'phi': expected a finite number within single precision")]
    [InlineData("tune --data overflow.csv --storage sqlite:///new.db", "overflow.csv:6: column 'phi': expected a finite number within single precision")]
    [InlineData("predict --model model.zip --data overflow.csv --out scored.csv", "overflow.csv:6: column 'phi': expected a finite number within single precision")]
    [InlineData("evaluate --model model.zip --data overflow.csv", "overflow.csv:6: column 'phi': expected a finite number within single precision")]
    [InlineData("explain --model model.zip --data overflow.csv", "overflow.csv:6: column 'phi': expected a finite number within single precision")]
    [InlineData("bogus", "Unrecognized command or argument 'bogus'")]
    public void Bad_input_gets_one_line_and_exit_code_2_and_writes_nothing(string command, string expected)
    {
        var before = Snapshot();
        var run = Programs.Dotnet(Programs.BuiltAssembly("src/RcML.Cli", "RcML.Cli"), command.Split(' '), files.Path);
        run.ExitCode.Should().Be(2, run.ToString());
        run.Stderr.Trim().Split('\n').Should().ContainSingle(run.ToString()).Which.Should().StartWith("rcml: error: ").And.Contain(expected);
        run.Stderr.Should().NotContain("   at ");
        run.Stderr.Should().NotContain("secret");
        Snapshot().Should().Equal(before, "no file is written or replaced");
    }

    [Fact]
    public void A_value_far_outside_its_column_is_named_with_its_line_and_the_usage_line_names_rcml()
    {
        var run = Programs.Dotnet(Programs.BuiltAssembly("src/RcML.Cli", "RcML.Cli"), ["predict", "--model", "model.zip", "--data", "far.csv", "--out", "far-scored.csv"], files.Path);
        run.ExitCode.Should().Be(0, run.ToString());
        run.Stderr.Should().Contain("rcml: warning: far.csv:7: column 'x': 1e30 is far outside the column's range");

        var help = Programs.Rcml("train", "--help");
        help.Stdout.Should().Contain("rcml train [options]").And.Contain("0: a linear model").And.Contain("--normalization <none|batch|layer>");
    }

    private List<string> Snapshot() => Directory.EnumerateFileSystemEntries(files.Path, "*", SearchOption.AllDirectories)
        .Where(p => !p.EndsWith("far-scored.csv", StringComparison.Ordinal))
        .Select(p => $"{p} {(File.Exists(p) ? new FileInfo(p).Length + " " + File.GetLastWriteTimeUtc(p).Ticks : "dir")}").Order().ToList();
}
