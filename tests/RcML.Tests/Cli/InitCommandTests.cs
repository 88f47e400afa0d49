using System.Xml.Linq;
using FluentAssertions;
using Microsoft.ML;
using RcML.Committor;
using RcML.Data;
using Xunit;

namespace RcML.Tests.Cli;

/// <summary>rcml init as a process: the starter project it writes.</summary>
public class InitCommandTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_project_references_the_package_versions_of_Directory_Packages_props_and_the_model_inputs()
    {
        var csv = SyntheticCsv.Write(_dir.File("shots.csv"), rows: 60);
        var data = ShootingData.Load(csv);
        var ml = new MLContext(seed: 1);
        var model = ml.Transforms.Concatenate("Features", data.FeatureNames.ToArray())
            .Append(ml.ReactionCoordinates().Trainers.Committor(new CommittorTrainerOptions { Inputs = data.Features.ToList(), MaxEpochs = 3, Nodes = 4 }))
            .Fit(data.ToDataView());
        var zip = _dir.File("rc.zip");
        CommittorModelFile.Save(ml, model, data.FeatureNames, zip);
        var folder = Path.Combine(_dir.Path, "my-scorer");

        var run = Programs.Rcml("init", "--model", zip, "--out", folder);

        run.ExitCode.Should().Be(0, run.ToString());
        var central = XDocument.Load(Path.Combine(Programs.RepositoryRoot, "Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(p => (string)p.Attribute("Include")!, p => (string)p.Attribute("Version")!);
        var references = XDocument.Load(Path.Combine(folder, "My_scorer.csproj")).Descendants("PackageReference")
            .ToDictionary(p => (string)p.Attribute("Include")!, p => (string)p.Attribute("Version")!);
        references.Keys.Should().BeEquivalentTo("Microsoft.ML", "Microsoft.ML.OnnxTransformer", "Microsoft.ML.OnnxRuntime");
        foreach (var (package, version) in references) version.Should().Be(central[package], package);
        var types = File.ReadAllText(Path.Combine(folder, "ModelInput.cs"));
        foreach (var input in data.FeatureNames) types.Should().Contain($"[ColumnName(\"{input}\")]");
        types.Should().NotContain("ModelOutput", "each generated type has its own file");
        File.ReadAllText(Path.Combine(folder, "ModelOutput.cs")).Should().Contain("public sealed class ModelOutput").And.Contain("namespace My_scorer;");
        File.ReadAllBytes(Path.Combine(folder, "model.zip")).Should().Equal(File.ReadAllBytes(zip));
    }
}
