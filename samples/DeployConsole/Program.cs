// Scores configurations with a model saved by RcML, using nothing but ML.NET and ONNX Runtime.
//   dotnet run --project samples/DeployConsole -- rc.zip configs.csv [scored.csv]
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using DeployConsole;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: DeployConsole <model.zip> <configurations.csv> [output.csv]");
    return 2;
}

var ml = new MLContext();
ITransformer model = ml.Model.Load(args[0], out DataViewSchema inputSchema);

// The model's input schema names the raw CV columns it reads; find them in the CSV header.
var header = File.ReadLines(args[1]).First().Split(',').Select(h => h.Trim()).ToList();
var columns = new List<TextLoader.Column>();
foreach (var column in inputSchema)
{
    int index = header.IndexOf(column.Name);
    if (index < 0)
    {
        Console.Error.WriteLine($"{args[1]}: the model reads column '{column.Name}', which the header lacks.");
        return 2;
    }
    columns.Add(new TextLoader.Column(column.Name, DataKind.Single, index));
}
int idIndex = header.IndexOf("id");
if (idIndex >= 0) columns.Add(new TextLoader.Column("id", DataKind.String, idIndex));

IDataView data = ml.Data.LoadFromTextFile(args[1], columns.ToArray(), separatorChar: ',', hasHeader: true);
IDataView scored = model.Transform(data);

// ReactionCoordinate (q) and Committor (p_B) are plain Single columns.
var q = scored.GetColumn<float>("ReactionCoordinate").ToArray();
var p = scored.GetColumn<float>("Committor").ToArray();
var ids = idIndex >= 0 ? scored.GetColumn<ReadOnlyMemory<char>>("id").Select(x => x.ToString()).ToArray()
                       : Enumerable.Range(1, q.Length).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();

// An ensemble also scores its members' spread of p_B.
var spread = scored.Schema.GetColumnOrNull("CommittorStdDev") is { } stdColumn ? scored.GetColumn<float>(stdColumn).ToArray() : null;

using var output = args.Length > 2 ? new StreamWriter(args[2]) : new StreamWriter(Console.OpenStandardOutput());
output.WriteLine(spread is null ? "id,ReactionCoordinate,Committor" : "id,ReactionCoordinate,Committor,CommittorStdDev");
for (int i = 0; i < q.Length; i++)
    output.WriteLine(FormattableString.Invariant($"{ids[i]},{q[i]:R},{p[i]:R}") + (spread is null ? "" : FormattableString.Invariant($",{spread[i]:R}")));

// One configuration at a time, as a service would: a PredictionEngine over the typed ModelInput/ModelOutput that
// `rcml init` generated from a model's schema (ModelInput.cs and ModelOutput.cs, here for the model of `rcml demo`).
if (inputSchema.Select(c => c.Name).SequenceEqual(ModelInput.Columns))
{
    var engine = ml.Model.CreatePredictionEngine<ModelInput, ModelOutput>(model);
    var firstRow = ml.Data.CreateEnumerable<ModelInput>(data, reuseRowObject: false).First();
    var prediction = engine.Predict(firstRow);
    Console.Error.WriteLine(FormattableString.Invariant(
        $"PredictionEngine<ModelInput, ModelOutput>: first configuration q = {prediction.ReactionCoordinate:R}, p_B = {prediction.Committor:R}"));
}
return 0;
