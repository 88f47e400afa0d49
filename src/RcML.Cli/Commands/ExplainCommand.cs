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
        var sortBy = new Option<string>("--sort-by") { Description = "Sort CVs by this method.", DefaultValueFactory = _ => "integrated" };
        sortBy.AcceptOnlyFromAmong("integrated", "gradient", "permutation");
        var command = new Command("explain", "Attribute a saved model's reaction coordinate to its CVs.") { model, json, permutations, steps, seed, sortBy };
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
        if (a.MeanCompletenessGap > 0.01)
            Console.WriteLine($"note: integrated gradients miss q(x) - q(baseline) by {a.MeanCompletenessGap:F4} on average; raise --steps.");
    }
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
