using System.Text.RegularExpressions;
using FluentAssertions;
using RcML.Committor;
using Xunit;

namespace RcML.Tests.Cli;

/// <summary>
/// Every rcml option with a fixed set of values goes through the parser's choices (Commands/Choices.cs): a wrong value
/// gets one line naming the option, the value and every accepted value, exit code 2, before anything is read or written.
/// </summary>
public class FixedValueOptionTests : IDisposable
{
    private readonly TempFolder _dir = new();

    /// <summary>The command (with its required options), the option, and the values it accepts, in help order.</summary>
    public static TheoryData<string, string, string> Options() => new()
    {
        { "train --data shots.csv --model m.zip", "--activation", string.Join(", ", Activation.Names) },
        { "train --data shots.csv --model m.zip", "--normalization", "none, batch, layer" },
        { "train --data shots.csv --model m.zip", "--optimizer", "adam, adamw" },
        { "train --data shots.csv --model m.zip", "--device", "cpu, cuda" },
        { "tune --data shots.csv", "--tuner", "gp, tpe, random, grid" },
        { "tune --data shots.csv", "--pruner", "median, asha, none" },
        { "tune --data shots.csv", "--selection", "auto, racing, cv, split" },
        { "tune --data shots.csv", "--final-model", "refit, firstfold, ensemble" },
        { "study export --storage sqlite:///s.db --study s", "--format", "csv, json" },
        { "explain --model m.zip --data shots.csv", "--sort-by", "integrated, gradient, permutation" },
        { "explain --model m.zip --data shots.csv", "--groups", "auto, none" },
        { "export --model m.zip --out m.pt", "--format", "plumed, torchscript, onnx" },
        { "export --model m.zip --out m.pt --format torchscript", "--angles", "radians, degrees, training" },
        { "suggest --model m.zip --candidates pool.csv --count 3 --out picks.csv", "--strategy", "transition, spread, uncertainty" },
        { "simulate --out shots.csv", "--system", "muller-brown, double-well, three-well" },
        { "simulate --out shots.csv", "--cvs", "plain, molecular" },
        { "simulate --out pool.csv --pool 3", "--pool-from", "transition, equilibrium" },
    };

    [Theory]
    [MemberData(nameof(Options))]
    public void A_value_outside_the_choices_gets_one_line_and_exit_code_2(string command, string option, string accepted)
    {
        var run = Programs.Dotnet(Programs.BuiltAssembly("src/RcML.Cli", "RcML.Cli"), [.. command.Split(' '), option, "bogus"], _dir.Path);
        var path = string.Join(" ", command.Split(' ').TakeWhile(word => !word.StartsWith("--", StringComparison.Ordinal)));
        run.ExitCode.Should().Be(2, run.ToString());
        run.Stderr.Trim().Should().Be($"rcml: error: {option}: 'bogus' is not one of {accepted}. (see: rcml {path} --help)");
        Directory.EnumerateFileSystemEntries(_dir.Path).Should().BeEmpty("a parse error writes nothing");
    }

    [Fact]
    public void Choices_are_matched_in_any_case_and_listed_in_help()
    {
        var run = Programs.Dotnet(Programs.BuiltAssembly("src/RcML.Cli", "RcML.Cli"),
            ["simulate", "--system", "Double-Well", "--cvs", "PLAIN", "--points", "20", "--shots", "2", "--out", "shots.csv"], _dir.Path);
        run.ExitCode.Should().Be(0, run.ToString());
        run.Stdout.Should().StartWith("double-well: 20 configurations x 2 shots");
        Programs.Rcml("export", "--help").Stdout.Should().Contain("--format <plumed|torchscript|onnx>").And.Contain("--angles <radians|degrees|training>");
    }

    /// <summary>The cases above cover every option the CLI declares through Choices, and no command checks fixed values another way.</summary>
    [Fact]
    public void Every_fixed_value_option_of_the_cli_is_covered()
    {
        var folder = Path.Combine(Programs.RepositoryRoot, "src", "RcML.Cli", "Commands");
        var sources = Directory.GetFiles(folder, "*.cs").ToDictionary(f => Path.GetFileName(f), File.ReadAllText);
        var declared = sources.Values
            .SelectMany(text => Regex.Matches(text, @"Choices\.(?:Of|Required)(?:<\w+>)?\(\s*""(--[a-z-]+)""").Select(m => m.Groups[1].Value))
            .ToHashSet();
        Options().Select(row => (string)row[1]).Distinct().Should().BeEquivalentTo(declared, "each fixed-value option has a case (--format twice: study export, export)");
        sources.Where(s => s.Value.Contains("AcceptOnlyFromAmong", StringComparison.Ordinal)).Select(s => s.Key)
            .Should().BeEmpty("fixed values go through Choices, for one message and case-insensitive matching");
    }

    public void Dispose() => _dir.Dispose();
}
