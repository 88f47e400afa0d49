using System.IO.Compression;
using FluentAssertions;
using Xunit;

namespace RcML.Tests.Packaging;

/// <summary>`dotnet pack` makes the RcML library package and the rcml tool package; the tool installs and runs.</summary>
public class ToolPackageTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static (int Exit, string Output) Run(string file, string workingDirectory, params string[] args)
    {
        var run = Programs.Program(file, args, workingDirectory, timeoutSeconds: 600);
        return (run.ExitCode, run.Stdout + run.Stderr);
    }

    [Fact]
    public void The_tool_package_installs_into_a_tool_path_and_runs()
    {
        var packages = Path.Combine(_dir.Path, "packages");
        var pack = Run("dotnet", Programs.RepositoryRoot, "pack", "RcML.sln", "-c", "Release", "-o", packages, "-p:ContinuousIntegrationBuild=true");
        pack.Exit.Should().Be(0, pack.Output);

        var files = Directory.GetFiles(packages).Select(Path.GetFileName).ToArray();
        files.Should().Contain(["RcML.0.1.0.nupkg", "RcML.0.1.0.snupkg", "RcML.Tool.0.1.0.nupkg", "RcML.Tool.0.1.0.snupkg"]);
        using (var library = ZipFile.OpenRead(Path.Combine(packages, "RcML.0.1.0.nupkg")))
            library.Entries.Select(e => e.FullName).Should().Contain(["README.md", "LICENSE", "lib/net10.0/RcML.dll", "lib/net10.0/RcML.xml"]);

        var tools = Path.Combine(_dir.Path, "tools");
        var install = Run("dotnet", _dir.Path, "tool", "install", "RcML.Tool", "--tool-path", tools, "--add-source", packages, "--version", "0.1.0");
        install.Exit.Should().Be(0, install.Output);

        var rcml = Path.Combine(tools, "rcml");
        var version = Run(rcml, _dir.Path, "--version");
        version.Exit.Should().Be(0, version.Output);
        version.Output.Should().StartWith("0.1.0");

        // The installed tool really trains: TorchSharp's natives load from the tool's own folder.
        var data = SyntheticCsv.Write(Path.Combine(_dir.Path, "shots.csv"), rows: 60);
        var train = Run(rcml, _dir.Path, "train", "--data", data, "--model", "m.zip", "--max-epochs", "5", "--nodes", "4");
        train.Exit.Should().Be(0, train.Output);
        File.Exists(Path.Combine(_dir.Path, "m.zip")).Should().BeTrue();
    }
}
