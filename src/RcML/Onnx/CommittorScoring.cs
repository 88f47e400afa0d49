using System.IO.Compression;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using RcML.Committor;
using RcML.Ensembles;

namespace RcML.Onnx;

/// <summary>
/// Scores committor networks inside ML.NET with built-in transformers only, so the result saves with
/// <c>ml.Model.Save</c> and loads with <c>ml.Model.Load</c> in any ML.NET app, without RcML.
/// </summary>
/// <remarks>
/// Why the chain looks the way it does: the OnnxTransformer always yields vector columns (an ONNX output [N, 1] becomes
/// Vector&lt;Single, 1, 1&gt;; a rank-0 output is declared Single but its getter still produces a VBuffer and throws),
/// (OnnxOptions' shape dictionary only reshapes vectors), and no public ML.NET transform turns a one-element vector into a
/// scalar. Scorers do produce scalar columns, so q goes through a linear regression scorer whose model is exactly w = 1,
/// b = 0 (Score = q), and p_B through a fixed Platt calibrator with slope -1 and offset 0 (Probability = 1 / (1 + e^-q)).
/// Temporary columns are dropped. Building the w = 1 model needs one internal ML.NET constructor (by reflection, checked);
/// the saved chain itself contains only public, built-in ML.NET transformers.
/// </remarks>
public static class CommittorScoring
{
    /// <summary>Output column with the reaction coordinate q (Single).</summary>
    public const string ReactionCoordinateColumn = "ReactionCoordinate";
    /// <summary>Output column with the committor p_B = sigmoid(q) (Single).</summary>
    public const string CommittorColumn = "Committor";

    private const string ScoreColumn = "Score";           // fixed name of the regression scorer's output
    private const string ProbabilityColumn = "Probability"; // fixed name of the calibrator's output
    private const string LabelColumn = nameof(IdentityRow.Label);

    /// <summary>Output column of ensembles with the members' standard deviation of p_B (Single); see <see cref="CommittorEnsembleOnnxExporter"/>.</summary>
    public const string CommittorStdDevColumn = "CommittorStdDev";

    /// <summary>
    /// A transformer that maps a float vector column of raw CVs to the Single columns
    /// <see cref="ReactionCoordinateColumn"/> and <see cref="CommittorColumn"/>, and for an ensemble also
    /// <see cref="CommittorStdDevColumn"/>.
    /// </summary>
    /// <param name="ml">The ML.NET context.</param>
    /// <param name="onnx">ONNX model bytes from <see cref="CommittorOnnxExporter.Export"/> or <see cref="CommittorEnsembleOnnxExporter.Export"/>.</param>
    /// <param name="featureColumn">Input column: Vector&lt;Single&gt; of raw CVs in the network's input order.</param>
    public static ITransformer CreateTransformer(MLContext ml, byte[] onnx, string featureColumn = "Features")
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(onnx);
        // The graph is written again from the description it carries, with the value names the columns need.
        var model = OnnxModel.Parse(onnx);
        bool ensemble = model.GetMetadata(CommittorEnsembleOnnxExporter.EnsembleMetadataKey) is not null;
        var members = ensemble
            ? CommittorEnsembleOnnxExporter.ReadEnsemble(onnx)
            : new CommittorEnsembleSpec
            {
                Members = [CommittorNetworkSpec.FromJson(model.GetMetadata(CommittorOnnxExporter.SpecMetadataKey)
                    ?? throw new ArgumentException("The ONNX model was not exported by CommittorOnnxExporter.", nameof(onnx)))],
            };
        int inputCount = members.InputNames.Count;

        // ONNX value names are the ML.NET column names: the input is called like the feature column, and the
        // vector-valued outputs get temporary names that are dropped at the end.
        string qVector = ReactionCoordinateColumn + ".Vector";
        string stdVector = CommittorStdDevColumn + ".Vector";
        var names = new OnnxValueNames(featureColumn, qVector, CommittorColumn + ".Vector", stdVector);
        var onnxBytes = ensemble
            ? CommittorEnsembleOnnxExporter.Export(members, valueNames: names)
            : CommittorOnnxExporter.Export(members.Members[0], names: names);

        var rows = ZeroRow(ml, featureColumn, inputCount);
        string[] vectors = ensemble ? [qVector, stdVector] : [qVector];
        var onnxScoring = ml.Transforms.ApplyOnnxModel(vectors, [featureColumn], new MemoryStream(onnxBytes)).Fit(rows);
        var stages = new List<ITransformer> { onnxScoring };
        var scored = onnxScoring.Transform(rows);

        if (ensemble) scored = AppendScalar(ml, stages, scored, stdVector, CommittorStdDevColumn);
        scored = AppendScalar(ml, stages, scored, qVector, ReactionCoordinateColumn);
        var committor = ml.BinaryClassification.Calibrators.Platt(slope: -1, offset: 0, scoreColumnName: ReactionCoordinateColumn).Fit(scored);
        var copyP = ml.Transforms.CopyColumns(CommittorColumn, ProbabilityColumn).Fit(scored = committor.Transform(scored));
        var drop = ml.Transforms.DropColumns(ProbabilityColumn).Fit(scored = copyP.Transform(scored));
        stages.AddRange([committor, copyP, drop]);
        return new TransformerChain<ITransformer>(stages.ToArray());
    }

    /// <summary>
    /// Appends the stages that turn the one-element vector column <paramref name="vector"/> into the Single column
    /// <paramref name="scalar"/> (identity regression, copy of its Score, drop of the temporaries); returns the data after them.
    /// </summary>
    private static IDataView AppendScalar(MLContext ml, List<ITransformer> stages, IDataView scored, string vector, string scalar)
    {
        var unwrap = FitIdentityRegression(ml, vector, scored.Schema[vector].Type);
        var copy = ml.Transforms.CopyColumns(scalar, ScoreColumn).Fit(scored = unwrap.Transform(scored));
        var drop = ml.Transforms.DropColumns(vector, ScoreColumn).Fit(scored = copy.Transform(scored));
        stages.AddRange([unwrap, copy, drop]);
        return drop.Transform(scored);
    }

    /// <summary>Reads the network description back from a model zip saved by <c>ml.Model.Save</c>.</summary>
    public static CommittorNetworkSpec ReadSpec(string modelZipPath)
    {
        using var stream = File.OpenRead(modelZipPath);
        return ReadSpec(stream);
    }

    /// <summary>Reads the network description back from a model zip saved by <c>ml.Model.Save</c>.</summary>
    /// <remarks>
    /// ML.NET model zip layout (seen with ML.NET 5.0.1 for the transformer of <see cref="CreateTransformer"/>):
    /// <code>
    /// Schema                                        input schema
    /// TrainingInfo/Version.txt                      ML.NET version
    /// TransformerChain/Model.key                    the chain
    /// TransformerChain/Transform_000/Model.key      OnnxTransformer: column names, options
    /// TransformerChain/Transform_000/OnnxModel      Int32 little-endian length, then the ONNX ModelProto bytes
    /// TransformerChain/Transform_001/...            regression scorer (Model/Model.key holds the linear model)
    /// TransformerChain/Transform_00n/Calibrator/... Platt calibrator
    /// </code>
    /// When the transformer is part of a larger pipeline the folders nest deeper, so every entry that contains the
    /// metadata key is tried as an ONNX model, after the 4-byte length prefix or from its first byte.
    /// </remarks>
    /// <exception cref="InvalidDataException">The zip holds no RcML network.</exception>
    /// <exception cref="ArgumentException">The zip holds an ensemble of several networks (see <see cref="ReadEnsemble(Stream)"/>).</exception>
    public static CommittorNetworkSpec ReadSpec(Stream modelZip)
    {
        var ensemble = ReadEnsemble(modelZip);
        if (ensemble.Members.Count != 1)
            throw new ArgumentException($"The model zip holds an ensemble of {ensemble.Members.Count} networks; this needs a single network.");
        return ensemble.Members[0];
    }

    /// <summary>
    /// Reads the member networks of an ensemble model zip, or a single network's zip as a one-member ensemble
    /// (the layout search of <see cref="ReadSpec(Stream)"/>).
    /// </summary>
    /// <exception cref="InvalidDataException">The zip holds no RcML network.</exception>
    public static CommittorEnsembleSpec ReadEnsemble(Stream modelZip)
    {
        using var zip = new ZipArchive(modelZip, ZipArchiveMode.Read, leaveOpen: true);
        return FindInZip(zip, CommittorEnsembleOnnxExporter.EnsembleMetadataKey, CommittorEnsembleOnnxExporter.ReadEnsemble)
            ?? FindInZip(zip, CommittorOnnxExporter.SpecMetadataKey, onnx => new CommittorEnsembleSpec { Members = [CommittorOnnxExporter.ReadSpec(onnx)] })
            ?? throw new InvalidDataException("The model zip contains no ONNX committor network exported by RcML.");
    }

    /// <inheritdoc cref="ReadEnsemble(Stream)"/>
    public static CommittorEnsembleSpec ReadEnsemble(string modelZipPath)
    {
        using var stream = File.OpenRead(modelZipPath);
        return ReadEnsemble(stream);
    }

    private static T? FindInZip<T>(ZipArchive zip, string metadataKey, Func<ReadOnlyMemory<byte>, T> read) where T : class
    {
        var key = Encoding.UTF8.GetBytes(metadataKey);
        foreach (var entry in zip.Entries)
        {
            using var buffer = new MemoryStream();
            using (var entryStream = entry.Open())
                entryStream.CopyTo(buffer);
            var bytes = buffer.ToArray();
            if (bytes.AsSpan().IndexOf(key) < 0)
                continue;
            foreach (int offset in OnnxPayloadOffsets)
            {
                if (offset >= bytes.Length)
                    continue;
                try
                {
                    return read(bytes.AsMemory(offset));
                }
                catch (Exception e) when (e is InvalidDataException or System.Text.Json.JsonException or NotSupportedException)
                {
                }
            }
        }
        return null;
    }

    // OnnxTransformer writes its model as a byte array with an Int32 length prefix; 0 covers a bare .onnx entry.
    private static readonly int[] OnnxPayloadOffsets = [4, 0];

    /// <summary>
    /// A linear regression model with weight exactly 1 and bias 0 on a one-element vector: its Score is the element.
    /// ML.NET has no public constructor for prediction transformers, so online gradient descent continues from that model
    /// on a single row it already predicts exactly: the loss gradient is zero, nothing moves.
    /// </summary>
    private static ITransformer FitIdentityRegression(MLContext ml, string featureColumn, DataViewType featureType)
    {
        var trainer = ml.Regression.Trainers.OnlineGradientDescent(new OnlineGradientDescentTrainer.Options
        {
            FeatureColumnName = featureColumn,
            LabelColumnName = LabelColumn,
            NumberOfIterations = 1,
            Shuffle = false,
            L2Regularization = 0,
            Averaged = false, // averaging a continued model counts the starting weights twice
        });
        var identity = IdentityModel(ml);
        var definition = SchemaDefinition.Create(typeof(IdentityRow));
        var feature = definition[nameof(IdentityRow.Feature)];
        feature.ColumnName = featureColumn;
        feature.ColumnType = featureType;
        var data = ml.Data.LoadFromEnumerable([new IdentityRow { Feature = [1f], Label = 1f }], definition);
        var fitted = trainer.Fit(data, identity);
        var weights = fitted.Model.Weights;
        if (weights.Count != 1 || weights[0] != 1f || fitted.Model.Bias != 0f)
            throw new InvalidOperationException($"The identity regression did not keep weight 1 and bias 0 (w = {weights[0]:R}, b = {fitted.Model.Bias:R}).");
        return fitted;
    }

    // The constructor LinearRegressionModelParameters(IHostEnvironment, in VBuffer<float>, float) is internal in ML.NET 5.
    // Only this in-memory starting point needs it; what gets saved is an ordinary ML.NET model.
    private static LinearRegressionModelParameters IdentityModel(MLContext ml)
    {
        var constructor = typeof(LinearRegressionModelParameters).GetConstructor(
            System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic,
            [typeof(Microsoft.ML.Runtime.IHostEnvironment), typeof(VBuffer<float>).MakeByRefType(), typeof(float)])
            ?? throw new NotSupportedException("This ML.NET version has no LinearRegressionModelParameters(env, weights, bias) constructor.");
        return (LinearRegressionModelParameters)constructor.Invoke([ml, new VBuffer<float>(1, [1f]), 0f]);
    }

    private sealed class IdentityRow
    {
        public float[] Feature { get; set; } = [];
        public float Label { get; set; }
    }

    private sealed class FeatureRow
    {
        public float[] Features { get; set; } = [];
    }

    /// <summary>One row of zeros in a known-size float vector column; enough for fitting the estimators that learn nothing.</summary>
    private static IDataView ZeroRow(MLContext ml, string column, int size)
    {
        var definition = SchemaDefinition.Create(typeof(FeatureRow));
        var features = definition[nameof(FeatureRow.Features)];
        features.ColumnName = column;
        features.ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
        return ml.Data.LoadFromEnumerable([new FeatureRow { Features = new float[size] }], definition);
    }
}
