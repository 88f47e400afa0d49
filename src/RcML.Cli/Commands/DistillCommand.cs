using System.CommandLine;
using System.Text.Json;
using RcML.Analysis;
using RcML.IO;

namespace RcML.Cli.Commands;

/// <summary>
/// <c>rcml distill</c>: a closed-form RC fitted to a saved model and the shots (<see cref="ClosedFormRc"/>): the formula,
/// its cross-entropy next to the network's, one PLUMED CUSTOM line and a C# expression.
/// </summary>
internal static class DistillCommand
{
    public static Command Create()
    {
        var data = new DataOptions();
        var model = new Option<string>("--model") { Description = "The ML.NET model zip.", Required = true };
        var maxTerms = new Option<int>("--max-terms") { Description = "Most terms in the formula (besides the constant).", DefaultValueFactory = _ => 6 };
        var maxCvs = new Option<int>("--max-cvs") { Description = "Most CVs: representatives of the model's top CV groups.", DefaultValueFactory = _ => 4 };
        var threshold = new Option<double>("--group-threshold") { Description = "|correlation| from which CVs form a group.", DefaultValueFactory = _ => CvGroups.DefaultThreshold };
        var output = new Option<string?>("--out") { Description = "Write the formula as JSON (formula, cvs, cross_entropy, plumed, csharp, terms) to this file." };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
        var seed = new Option<int>("--seed") { Description = "Seed of the shuffles and folds.", DefaultValueFactory = _ => 0 };
        var command = new Command("distill", "Fit a closed-form reaction coordinate (a short formula) to a saved model and the shots.")
        {
            model, maxTerms, maxCvs, threshold, output, json, seed,
        };
        data.AddTo(command);
        command.SetAction(result => CliRun.Guard(() =>
        {
            if (result.GetValue(maxTerms) < 1) throw new ArgumentException($"--max-terms must be at least 1; got {result.GetValue(maxTerms)}.");
            if (result.GetValue(maxCvs) < 1) throw new ArgumentException($"--max-cvs must be at least 1; got {result.GetValue(maxCvs)}.");
            if (result.GetValue(threshold) is var t && !(t > 0 && t <= 1)) throw new ArgumentException($"--group-threshold must be in (0, 1]; got {t}.");
            var spec = ModelFiles.ReadSpec(result.GetValue(model)!);
            var options = data.ToOptions(result);
            options.Features = spec.Inputs.Select(i => i.Name).ToList(); // the model decides which columns it reads
            var shooting = data.Load(result, options);
            var rc = ClosedFormRc.Distill(spec, shooting, new ClosedFormRcOptions
            {
                MaxTerms = result.GetValue(maxTerms), MaxCvs = result.GetValue(maxCvs), GroupThreshold = t, Seed = result.GetValue(seed),
            });
            var document = JsonSerializer.Serialize(ToJson(rc), JsonOutput.Options);
            if (result.GetValue(output) is { } path) AtomicFile.WriteAllText(path, document + "\n");
            if (result.GetValue(json)) Console.WriteLine(document);
            else Print(rc, result.GetValue(output));
            return 0;
        }));
        return command;
    }

    private static object ToJson(ClosedFormRc rc) => new
    {
        rc.Formula,
        Cvs = rc.Cvs.Select(c => c.Name),
        rc.CrossEntropy,
        rc.NetworkCrossEntropy,
        rc.HeldOutCrossEntropy,
        rc.Intercept,
        Terms = rc.Terms.Select(t => new { Term = t.Term.Text, t.Coefficient }),
        Plumed = rc.ToPlumed(),
        rc.CSharp,
        Candidates = rc.Candidates.Select(c => c.Name),
        Path = rc.Path,
    };

    private static void Print(ClosedFormRc rc, string? output)
    {
        Console.WriteLine(rc.Formula);
        if (rc.Cvs.Any(c => c.Kind == RcML.Committor.InputKind.PeriodicDegrees)) Console.WriteLine("(angles in degrees, as in the data)");
        Console.WriteLine();
        Console.WriteLine($"cross-entropy on the data: formula {rc.CrossEntropy:F5}, network {rc.NetworkCrossEntropy:F5} nats/shot " +
            $"(formula held out: {rc.HeldOutCrossEntropy:F5})");
        Console.WriteLine($"candidate CVs (top groups' representatives): {string.Join(", ", rc.Candidates.Select(c => c.Name))}");
        Console.WriteLine("terms   held-out cross-entropy   added");
        foreach (var step in rc.Path)
            Console.WriteLine($"{step.Terms,5}   {step.HeldOutCrossEntropy,12:F5} ± {step.StandardError:F5}   {step.Added ?? "(constant)"}{(step.Terms == rc.Terms.Count ? "   <- chosen" : "")}");
        Console.WriteLine();
        Console.WriteLine("PLUMED:");
        Console.WriteLine(rc.ToPlumed());
        Console.WriteLine("C#:");
        Console.WriteLine($"double q = {rc.CSharp};");
        if (output is not null) Console.WriteLine($"wrote {output}");
    }
}
