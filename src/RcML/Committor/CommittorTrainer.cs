using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using RcML.Data;
using RcML.Onnx;

namespace RcML.Committor;

/// <summary>
/// Learns a committor network q(x) from shooting outcomes (p_B = sigmoid(q)) with TorchSharp, and fits into a
/// transformer that scores through ONNX Runtime, so the saved model is a plain ML.NET model.
/// Input: a Vector&lt;Single&gt; of raw CVs (<see cref="CommittorTrainerOptions.FeatureColumnName"/>) and the
/// Single shot counts. Output: Single columns <c>ReactionCoordinate</c> (q) and <c>Committor</c> (p_B).
/// Progress goes to the context's <see cref="MLContext.Log"/> (source <c>CommittorTrainer</c>): the set-up and the
/// outcome as Info messages, each epoch's losses as a Trace message.
/// </summary>
public sealed class CommittorTrainer : IEstimator<CommittorPredictionTransformer>
{
    private readonly MLContext _ml;

    /// <summary>The options in use.</summary>
    public CommittorTrainerOptions Options { get; }

    /// <summary>Creates the trainer; see <see cref="ReactionCoordinatesCatalog.CommittorTrainers"/> for the usual entry point.</summary>
    public CommittorTrainer(MLContext ml, CommittorTrainerOptions? options = null)
    {
        _ml = ml ?? throw new ArgumentNullException(nameof(ml));
        Options = options ?? new CommittorTrainerOptions();
        Options.Validate();
    }

    /// <summary>Trains, early-stopping on a held-out ValidationFraction of <paramref name="input"/>.</summary>
    public CommittorPredictionTransformer Fit(IDataView input) => Fit(input, null);

    /// <summary>Trains on <paramref name="trainData"/>, early-stopping on <paramref name="validationData"/> when given.</summary>
    public CommittorPredictionTransformer Fit(IDataView trainData, IDataView? validationData, CancellationToken cancellation = default)
    {
        var train = Read(trainData);
        var validation = validationData is null ? null : Read(validationData);
        var inputs = ResolveInputs(trainData.Schema);
        // An explicit seed: registering without one would draw from the context's random generator.
        var host = ((IHostEnvironment)_ml).Register(nameof(CommittorTrainer), seed: Options.Seed);
        using var log = host.Start("Training");
        var result = CommittorTraining.Train(train, validation, inputs, Options, cancellation, log);
        return CommittorPredictionTransformer.Create(_ml, result, Options.FeatureColumnName);
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        var present = inputSchema.Select(c => c.Name).ToHashSet();
        foreach (var name in new[] { Options.FeatureColumnName, Options.CountAColumnName, Options.CountBColumnName })
            if (!present.Contains(name))
                throw new ArgumentOutOfRangeException(nameof(inputSchema), $"The input has no column '{name}'.");
        return new SchemaShape(inputSchema
            .Where(c => c.Name is not (CommittorScoring.ReactionCoordinateColumn or CommittorScoring.CommittorColumn))
            .Append(ScalarSingle(CommittorScoring.ReactionCoordinateColumn))
            .Append(ScalarSingle(CommittorScoring.CommittorColumn)));
    }

    /// <summary>
    /// A scalar Single column shape. ML.NET 5 keeps SchemaShape.Column's constructor internal, so estimators outside
    /// ML.NET can only describe new columns through it by reflection.
    /// </summary>
    internal static SchemaShape.Column ScalarSingle(string name)
    {
        var constructor = typeof(SchemaShape.Column).GetConstructors(System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)
            .FirstOrDefault(c => c.GetParameters().Length == 5)
            ?? throw new NotSupportedException("This ML.NET version has no SchemaShape.Column(name, kind, type, isKey, annotations) constructor.");
        return (SchemaShape.Column)constructor.Invoke([name, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, false, null]);
    }

    private ShootingMatrix Read(IDataView data) =>
        ShootingMatrix.FromDataView(data, Options.FeatureColumnName, Options.CountAColumnName, Options.CountBColumnName);

    /// <summary>Input names from Options.Inputs, else from the vector's slot names, kinds from the periodic patterns.</summary>
    private IReadOnlyList<NetworkInput> ResolveInputs(DataViewSchema schema)
    {
        var column = schema[Options.FeatureColumnName];
        int width = column.Type is VectorDataViewType v ? v.Size : 1;
        if (Options.Inputs is { } given)
        {
            if (given.Count != width)
                throw new ArgumentException($"Options.Inputs describes {given.Count} inputs, but '{column.Name}' has {width}.");
            return given.ToArray();
        }
        var names = Enumerable.Range(0, width).Select(i => width == 1 ? column.Name : $"{column.Name}[{i}]").ToArray();
        if (column.Type is VectorDataViewType && column.HasSlotNames())
        {
            VBuffer<ReadOnlyMemory<char>> slots = default;
            column.GetSlotNames(ref slots);
            var dense = slots.DenseValues().Select(s => s.ToString()).ToArray();
            for (int i = 0; i < width; i++) if (dense[i].Length > 0) names[i] = dense[i];
        }
        var periodic = Options.Periodic.Select(ShootingData.Glob).ToArray();
        var kind = Options.PeriodicUnit.ToPeriodicKind();
        return names.Select(n => new NetworkInput(n, periodic.Any(p => p.IsMatch(n)) ? kind : InputKind.Linear)).ToArray();
    }
}
