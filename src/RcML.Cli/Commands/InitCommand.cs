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
            AtomicFile.WriteAllText(Path.Combine(folder, "ModelInput.cs"), ConsumptionCode.SourceFile(name, ConsumptionCode.InputType(inputs)));
            AtomicFile.WriteAllText(Path.Combine(folder, "ModelOutput.cs"), ConsumptionCode.SourceFile(name, ConsumptionCode.OutputType));
            Console.WriteLine($"wrote {folder}: {name}.csproj, Program.cs, ModelInput.cs, ModelOutput.cs, model.zip");
            Console.WriteLine($"run it:  dotnet run --project {folder} -- configurations.csv");
            return 0;
        }));
        return command;
    }
}
