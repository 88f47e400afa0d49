using System.CommandLine;
using System.Text.Json;
using RcML.Analysis;
using RcML.Committor;
using RcML.Onnx;

namespace RcML.Cli.Commands;

/// <summary>
/// <c>rcml explain</c>: which CVs a saved committor model relies on, per raw CV, by permutation importance on the
/// cross-entropy, gradient x input and integrated gradients of q (see <see cref="FeatureAttribution"/>).
/// </summary>
internal static class ExplainCommand
{
    public static Command Create()
    {
        var data = new DataOptions();
        var model = new Option<string>("--model") { Description = "The ML.NET model zip.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the attribution as JSON." };
        var permutations = new Option<int>("--permutations") { Description = "Shuffles per CV for permutation importance.", DefaultValueFactory = _ => 5 };
        var steps = new Option<int>("--steps") { Description = "Integration steps of integrated gradients.", DefaultValueFactory = _ => 48 };
        var seed = new Option<int>("--seed") { Description = "Seed of the shuffles.", DefaultValueFactory = _ => 0 };
        var sortBy = Choices.Of("--sort-by", "Sort CVs by this method.", "integrated", ["integrated", "gradient", "permutation"]);
        var groups = Choices.Of("--groups", "auto: also attribute groups of CVs that move together in the data; none: per CV only.", "auto", ["auto", "none"]);
        var threshold = new Option<double>("--group-threshold")
        {
            Description = "|correlation| from which CVs form a group (circular for angles, rank otherwise).", DefaultValueFactory = _ => CvGroups.DefaultThreshold,
        }.Check(t => t > 0 && t <= 1, "a number in (0, 1]");
        var command = new Command("explain", "Attribute a saved model's reaction coordinate to its CVs and to groups of redundant CVs.")
        {
            model, json, permutations, steps, seed, sortBy, groups, threshold,
        };
        data.AddTo(command);
        command.SetAction(result => CliRun.Guard(() =>
        {
            var path = result.GetValue(model)!;
            var spec = ModelFiles.ReadSpec(path);
            var options = data.ToOptions(result);
            options.Features = spec.Inputs.Select(i => i.Name).ToList(); // the model decides which columns it reads
            var shooting = data.Load(result, options);
            var attribution = FeatureAttribution.Compute(spec, shooting, new FeatureAttributionOptions
            {
                Permutations = result.GetValue(permutations),
                IntegrationSteps = result.GetValue(steps),
                Seed = result.GetValue(seed),
                GroupThreshold = result.GetValue(groups) == "none" ? null : result.GetValue(threshold),
            });
            var method = result.GetValue(sortBy) switch
            {
                "permutation" => AttributionMethod.Permutation,
                "gradient" => AttributionMethod.GradientTimesInput,
                _ => AttributionMethod.IntegratedGradients,
            };
            if (result.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(ToJson(attribution, method), JsonOutput.Options));
            else Print(attribution, method);
            return 0;
        }));
        return command;
    }

    private static object ToJson(FeatureAttributionResult a, AttributionMethod method) => new
    {
        a.CrossEntropy,
        a.Rows,
        a.GradientRows,
        a.Permutations,
        a.IntegrationSteps,
        a.MeanCompletenessGap,
        SortedBy = method.ToString(),
        a.GroupThreshold,
        Groups = a.GroupsSortedBy(method).Select(g => new
        {
            g.Label,
            g.Members,
            g.Representative,
            g.MinCorrelation,
            g.Permutation,
            g.GradientTimesInput,
            g.IntegratedGradients,
            g.CrossEntropyIncrease,
        }),
        Cvs = a.SortedBy(method).Select(c => new
        {
            c.Name,
            Kind = c.Kind.ToString(),
            c.Permutation,
            c.GradientTimesInput,
            c.IntegratedGradients,
            c.CrossEntropyIncrease,
            c.Baseline,
        }),
    };

    private static void Print(FeatureAttributionResult a, AttributionMethod method)
    {
        Console.WriteLine($"cross-entropy: {a.CrossEntropy:F5} nats/shot on {a.Rows} configurations");
        Console.WriteLine($"permutation: {a.Permutations} shuffles per CV; gradient x input and integrated gradients ({a.IntegrationSteps} steps) " +
            $"on {a.GradientRows} configurations, from the data mean (circular for angles)");
        Console.WriteLine("shares sum to 1 per method; 'CE increase' is the cross-entropy increase when the CV is shuffled");
        Console.WriteLine();
        int width = Math.Max(4, a.Cvs.Max(c => c.Name.Length));
        Console.WriteLine($"{"CV".PadRight(width)}  {"kind",-8}  {"permutation",11}  {"grad x input",12}  {"integrated",10}  {"CE increase",11}");
        foreach (var c in a.SortedBy(method))
        {
            string kind = c.Kind switch { InputKind.Linear => "linear", InputKind.PeriodicDegrees => "angle°", _ => "angle" };
            Console.WriteLine($"{c.Name.PadRight(width)}  {kind,-8}  {c.Permutation,11:F4}  {c.GradientTimesInput,12:F4}  {c.IntegratedGradients,10:F4}  {c.CrossEntropyIncrease,11:F5}");
        }
        if (a.GroupThreshold is { } threshold)
        {
            var groups = a.GroupsSortedBy(method).Where(g => g.Members.Count > 1).ToArray();
            Console.WriteLine();
            if (groups.Length == 0) Console.WriteLine($"groups: no CVs move together (|r| >= {threshold:0.##}); each CV is its own group");
            else
            {
                Console.WriteLine($"groups of CVs that move together (|r| >= {threshold:0.##}), members shuffled jointly and gradient shares summed; " +
                    $"share among all {a.Groups.Count} groups (single CVs included):");
                int labelWidth = Math.Max(5, groups.Max(g => g.Label.Length));
                Console.WriteLine($"{"group".PadRight(labelWidth)}  {"permutation",11}  {"grad x input",12}  {"integrated",10}  {"CE increase",11}  members");
                foreach (var g in groups)
                    Console.WriteLine($"{g.Label.PadRight(labelWidth)}  {g.Permutation,11:F4}  {g.GradientTimesInput,12:F4}  {g.IntegratedGradients,10:F4}  {g.CrossEntropyIncrease,11:F5}  {string.Join(", ", g.Members)}");
                var rank = a.GroupsSortedBy(method);
                Console.WriteLine($"top groups by {MethodName(method)}: {string.Join(", ", rank.Take(5).Select(g => g.Label))}");
            }
        }
        if (a.MeanCompletenessGap > 0.01)
            Console.WriteLine($"note: integrated gradients miss q(x) - q(baseline) by {a.MeanCompletenessGap:F4} on average; raise --steps.");
    }

    private static string MethodName(AttributionMethod method) => method switch
    {
        AttributionMethod.Permutation => "permutation",
        AttributionMethod.GradientTimesInput => "gradient x input",
        _ => "integrated gradients",
    };
}

/// <summary>Reading the network out of a model zip, with errors that name the file.</summary>
internal static class ModelFiles
{
    public static CommittorNetworkSpec ReadSpec(string path) => Read(path, CommittorScoring.ReadSpec);

    /// <summary>The member networks of an ensemble zip, or a single network's zip as one member.</summary>
    public static Ensembles.CommittorEnsembleSpec ReadEnsemble(string path) => Read(path, CommittorScoring.ReadEnsemble);

    private static T Read<T>(string path, Func<string, T> read)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Model file '{path}' not found.", path);
        try
        {
            return read(path);
        }
        catch (Exception e) when (e is InvalidDataException or JsonException)
        {
            throw new InvalidDataException($"'{path}' is not an RcML committor model zip: {e.Message}", e);
        }
    }
}
