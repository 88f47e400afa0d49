using System.CommandLine;
using Microsoft.ML;
using RcML.Committor;
using RcML.IO;

namespace RcML.Cli.Commands;

/// <summary>
/// <c>rcml init</c>: writes a starter console project that scores a saved model with ML.NET alone, with input/output
/// classes generated from the model's schema (as <c>mlnet</c> writes its consumption project).
/// </summary>
internal static class InitCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "The model zip to build the project around (copied into it).", Required = true };
        var output = new Option<string>("--out") { Description = "Project folder to create.", DefaultValueFactory = _ => "RcmlScorer" };
        var force = new Option<bool>("--force") { Description = "Write into a folder that already has files." };
        var command = new Command("init", "Write a starter C# project that scores a saved model with PredictionEngine.") { model, output, force };
        command.SetAction(result => CliRun.Guard(() =>
        {
            var modelPath = result.GetValue(model)!;
            var (_, inputs) = CommittorModelFile.Load(new MLContext(), modelPath);
            var folder = Path.GetFullPath(result.GetValue(output)!);
            if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any() && !result.GetValue(force))
                throw new ArgumentException($"'{folder}' is not empty; choose another --out or add --force.");
            var name = ConsumptionCode.Identifier(Path.GetFileName(folder));
            Directory.CreateDirectory(folder);
            File.Copy(modelPath, Path.Combine(folder, "model.zip"), overwrite: true);
            AtomicFile.WriteAllText(Path.Combine(folder, name + ".csproj"), ConsumptionCode.Project());
            AtomicFile.WriteAllText(Path.Combine(folder, "Program.cs"), ConsumptionCode.Program(inputs, name));
            AtomicFile.WriteAllText(Path.Combine(folder, "ModelTypes.cs"), ConsumptionCode.Types(inputs, name));
            Console.WriteLine($"wrote {folder}: {name}.csproj, Program.cs, ModelTypes.cs, model.zip");
            Console.WriteLine($"run it:  dotnet run --project {folder} -- configurations.csv");
            return 0;
        }));
        return command;
    }
}

/// <summary>C# that loads and scores a saved model, generated for its input columns.</summary>
internal static class ConsumptionCode
{
    /// <summary>The few lines <c>rcml tune</c> prints.</summary>
    public static string Snippet(string modelPath, IReadOnlyList<string> inputs) => $$"""
        using Microsoft.ML;
        using Microsoft.ML.Data;

        var ml = new MLContext();
        var model = ml.Model.Load("{{Path.GetFileName(modelPath)}}", out _);
        var engine = ml.Model.CreatePredictionEngine<ModelInput, ModelOutput>(model);
        var p = engine.Predict(new ModelInput { /* CV values */ });
        Console.WriteLine($"q = {p.ReactionCoordinate}, p_B = {p.Committor}");

        {{Types(inputs, null)}}
        """;

    /// <summary>ModelInput (one float per model input column) and ModelOutput.</summary>
    public static string Types(IReadOnlyList<string> inputs, string? ns)
    {
        var fields = string.Join("\n", inputs.Select(n => $"    [ColumnName(\"{n}\")] public float {Identifier(n)} {{ get; set; }}"));
        var header = ns is null ? "" : $"using Microsoft.ML.Data;\n\nnamespace {ns};\n\n";
        return header + $$"""
            /// <summary>The raw CVs the model reads.</summary>
            public sealed class ModelInput
            {
            {{fields}}
            }

            /// <summary>The model's outputs: q and p_B = sigmoid(q).</summary>
            public sealed class ModelOutput
            {
                public float ReactionCoordinate { get; set; }
                public float Committor { get; set; }
            }
            """ + "\n";
    }

    public static string Project() => """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
            <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="Microsoft.ML" Version="5.0.1" />
            <PackageReference Include="Microsoft.ML.OnnxTransformer" Version="5.0.1" />
            <PackageReference Include="Microsoft.ML.OnnxRuntime" Version="1.31.1" />
          </ItemGroup>
          <ItemGroup>
            <None Include="model.zip" CopyToOutputDirectory="PreserveNewest" />
          </ItemGroup>
        </Project>
        """;

    public static string Program(IReadOnlyList<string> inputs, string ns) => $$"""
        // Scores configurations (a CSV with the model's CV columns) with the committor model in model.zip.
        //   dotnet run -- configurations.csv
        using System.Globalization;
        using Microsoft.ML;
        using Microsoft.ML.Data;
        using {{ns}};

        if (args.Length < 1) { Console.Error.WriteLine("usage: dotnet run -- configurations.csv"); return 2; }
        var ml = new MLContext();
        var model = ml.Model.Load(Path.Combine(AppContext.BaseDirectory, "model.zip"), out _);
        var engine = ml.Model.CreatePredictionEngine<ModelInput, ModelOutput>(model);

        // Map the CSV's header to ModelInput's columns by name.
        string[] needed = [{{string.Join(", ", inputs.Select(i => "\"" + i + "\""))}}];
        var header = File.ReadLines(args[0]).First().Split(',').Select(h => h.Trim()).ToList();
        var columns = needed.Select(n => header.IndexOf(n) is var i and >= 0
            ? new TextLoader.Column(n, DataKind.Single, i)
            : throw new InvalidDataException($"{args[0]}: column '{n}' is missing.")).ToArray();
        var rows = ml.Data.CreateEnumerable<ModelInput>(
            ml.Data.LoadFromTextFile(args[0], columns, separatorChar: ',', hasHeader: true), reuseRowObject: false);

        Console.WriteLine("ReactionCoordinate,Committor");
        foreach (var row in rows)
        {
            var p = engine.Predict(row);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{p.ReactionCoordinate:R},{p.Committor:R}"));
        }
        return 0;
        """;

    /// <summary>A C# identifier for a column or folder name.</summary>
    public static string Identifier(string name)
    {
        var chars = name.Select(c => char.IsLetterOrDigit(c) ? c : '_').ToArray();
        var id = new string(chars);
        if (id.Length == 0) return "_";
        return char.IsLetter(id[0]) || id[0] == '_' ? char.ToUpperInvariant(id[0]) + id[1..] : "_" + id;
    }
}
