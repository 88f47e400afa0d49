using System.Reflection;

namespace RcML.Cli.Commands;

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

        {{InputType(inputs)}}
        {{OutputType}}
        """;

    /// <summary>ModelInput: one float per model input column.</summary>
    public static string InputType(IReadOnlyList<string> inputs)
    {
        var fields = string.Join("\n", inputs.Select(n => $"    [ColumnName(\"{n}\")] public float {Identifier(n)} {{ get; set; }}"));
        return $$"""
            /// <summary>The raw CVs the model reads.</summary>
            public sealed class ModelInput
            {
            {{fields}}
            }
            """ + "\n";
    }

    /// <summary>ModelOutput: q and p_B.</summary>
    public const string OutputType = """
        /// <summary>The model's outputs: q and p_B = sigmoid(q).</summary>
        public sealed class ModelOutput
        {
            public float ReactionCoordinate { get; set; }
            public float Committor { get; set; }
        }

        """;

    /// <summary>A source file of namespace <paramref name="ns"/> holding one generated type.</summary>
    public static string SourceFile(string ns, string type) =>
        (type.Contains("[ColumnName(", StringComparison.Ordinal) ? "using Microsoft.ML.Data;\n\n" : "") + $"namespace {ns};\n\n{type}";

    /// <summary>The scoring project's .csproj: ML.NET and ONNX Runtime at the versions RcML is built with.</summary>
    public static string Project() => $$"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
            <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="Microsoft.ML" Version="{{PackageVersion("Microsoft.ML")}}" />
            <PackageReference Include="Microsoft.ML.OnnxTransformer" Version="{{PackageVersion("Microsoft.ML.OnnxTransformer")}}" />
            <PackageReference Include="Microsoft.ML.OnnxRuntime" Version="{{PackageVersion("Microsoft.ML.OnnxRuntime")}}" />
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

    /// <summary>A package's version in Directory.Packages.props, embedded at build time (RcML.Cli.csproj).</summary>
    public static string PackageVersion(string package) =>
        typeof(ConsumptionCode).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "PackageVersion:" + package)?.Value
        ?? throw new InvalidOperationException($"RcML.Cli was built without the version of {package}.");

    /// <summary>A C# identifier for a column or folder name.</summary>
    public static string Identifier(string name)
    {
        var chars = name.Select(c => char.IsLetterOrDigit(c) ? c : '_').ToArray();
        var id = new string(chars);
        if (id.Length == 0) return "_";
        return char.IsLetter(id[0]) || id[0] == '_' ? char.ToUpperInvariant(id[0]) + id[1..] : "_" + id;
    }
}
