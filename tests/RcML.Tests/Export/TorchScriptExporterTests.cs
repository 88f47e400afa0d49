using FluentAssertions;
using Microsoft.ML;
using Microsoft.ML.Data;
using RcML.Committor;
using RcML.Data;
using RcML.Ensembles;
using RcML.Export;
using RcML.Onnx;
using RcML.Tests.Onnx;
using Xunit;
using Xunit.Abstractions;

namespace RcML.Tests.Export;

/// <summary>
/// Trained networks of every activation x normalization of the default search space and a 6 x 512 network, exported
/// to TorchScript and run by both loaders: values against the ML.NET/ONNX model on 1,000 rows, autograd gradients
/// against central differences of the saved ML.NET/ONNX model, whose ONNX graph is evaluated in float64 for them (periodic
/// inputs near +-180 degrees included).
/// </summary>
public sealed class TorchScriptExporterTests(TorchScriptExporterTests.Networks networks, ITestOutputHelper output)
    : IClassFixture<TorchScriptExporterTests.Networks>
{
    /// <summary>Inputs: linear, degrees, radians, linear (training data in those units).</summary>
    private static readonly NetworkInput[] Inputs = TestNetworks.MixedInputs;

    /// <summary>phi (degrees) of the first gradient points, at and around +-180 degrees (psi there is near +-pi).</summary>
    private static readonly float[] PeriodicGradientPhi = [179.9f, -179.9f, 179.5f, -179.6f, 180f, -180f];
    private static int PeriodicGradientRows => PeriodicGradientPhi.Length;

    /// <summary>One exported network: its ML.NET/ONNX scores and what each loader computed.</summary>
    /// <param name="Float64Q">q of the model zip's ONNX graph evaluated in float64 on the same rows.</param>
    internal sealed record Case(string Name, CommittorNetworkSpec Spec, float[][] Rows, float[] OnnxQ, double[] Float64Q, double[][] FiniteDifferences,
        TorchScriptLoaders.Result TorchSharp, TorchScriptLoaders.Result Python);

    public sealed class Networks : IDisposable
    {
        private readonly TempFolder _dir = new();
        internal IReadOnlyList<Case> Cases { get; }
        /// <summary>Rows in the training units (degrees for phi), as the ML.NET/ONNX model reads them.</summary>
        public float[][] Rows { get; }
        public float[][] GradientRows { get; }
        /// <summary>Three members (one reading the CVs in another order), with its ONNX graph's outputs on <see cref="Rows"/>.</summary>
        public CommittorEnsembleSpec Ensemble { get; }
        public float[][] EnsembleOnnx { get; }
        internal TorchScriptLoaders.Result EnsembleTorchSharp { get; }
        internal TorchScriptLoaders.Result EnsemblePython { get; }

        public Networks()
        {
            var data = Training();
            var specs = new List<(string Name, CommittorNetworkSpec Spec)>();
            foreach (var activation in new[] { "tanh", "relu", "elu", "gelu", "silu", "sigmoid" })
                foreach (var normalization in Enum.GetValues<LayerNormalization>())
                    specs.Add(($"{activation}/{normalization}", Train(data, activation, normalization, [8, 8], epochs: 5)));
            specs.Add(("6x512 tanh/Batch", Train(data, "tanh", LayerNormalization.Batch, Enumerable.Repeat(512, 6).ToArray(), epochs: 1)));

            Rows = TestNetworks.Rows(Inputs, 1000, seed: 5);
            // Gradient points: phi and psi at and around +-180 degrees / +-pi, then ordinary rows.
            GradientRows = PeriodicGradientPhi
                .Select((phi, i) => new[] { 0.3f + 0.2f * i, phi, (float)(Math.PI * (i % 2 == 0 ? 0.999 : -0.999)), 1.1f - 0.1f * i })
                .Concat(TestNetworks.Rows(Inputs, 14, seed: 9)).ToArray();

            var jobs = new List<TorchScriptLoaders.Job>();
            for (int k = 0; k < specs.Count; k++)
            {
                var path = _dir.File($"net{k}.pt");
                TorchScriptExporter.WriteFile(specs[k].Spec, path);
                jobs.Add(new(path, Inputs.Select(i => i.Name).ToArray(), Rows.Select(Radians).ToArray(), GradientRows.Select(Radians).ToArray()));
            }
            NetworkInput[] reordered = [Inputs[2], Inputs[3], Inputs[0], Inputs[1]];
            Ensemble = new CommittorEnsembleSpec
            {
                Members = [specs[0].Spec, TestNetworks.Create(8, reordered, ["gelu", "gelu"], layerNorm: true), specs[13].Spec],
            };
            EnsembleOnnx = EnsembleOnnxOutputs(Ensemble, Rows);
            var ensemblePath = _dir.File("ensemble.pt");
            TorchScriptExporter.WriteFile(Ensemble, ensemblePath, new TorchScriptExportOptions { IncludeCommittor = true });
            var ensembleJob = new TorchScriptLoaders.Job(ensemblePath, Ensemble.InputNames, jobs[0].Rows, jobs[0].GradientRows);
            var python = TorchScriptLoaders.Python([.. jobs, ensembleJob], _dir.Path);
            EnsembleTorchSharp = TorchScriptLoaders.TorchSharp(ensembleJob);
            EnsemblePython = python[^1];
            // The reference: each network saved as a model zip, its ONNX graph evaluated in float64 on the rows and on the
            // finite-difference stencils around the gradient points.
            var stencils = Stencils(GradientRows);
            var float64 = OnnxFloat64.ReactionCoordinates(specs.Select((s, k) => new OnnxFloat64.Job(
                ModelZips.Save(s.Spec, _dir.File($"net{k}.zip")), [.. Rows.Select(TestNetworks.ToDouble), .. stencils])).ToArray(), _dir.Path);
            Cases = specs.Select((s, k) => new Case(s.Name, s.Spec, Rows, OnnxQ(s.Spec, Rows), float64[k][..Rows.Length],
                FiniteDifferences(float64[k][Rows.Length..], GradientRows), TorchScriptLoaders.TorchSharp(jobs[k]), python[k])).ToArray();
        }

        public void Dispose() => _dir.Dispose();
    }

    [Fact]
    public void Both_loaders_compute_the_onnx_q_on_1000_rows_for_every_activation_and_normalization_and_6x512()
    {
        networks.Cases.Should().HaveCount(19);
        foreach (var c in networks.Cases)
            foreach (var (loader, result) in new[] { ("TorchSharp", c.TorchSharp), ("python3-torch", c.Python) })
            {
                result.Outputs.Should().HaveCount(1000).And.OnlyContain(r => r.Length == 1, "forward returns [N, 1] = q");
                double worst = 0;
                for (int r = 0; r < c.Rows.Length; r++)
                {
                    double q = c.OnnxQ[r], error = Math.Abs(result.Outputs[r][0] - q) / Math.Max(1, Math.Abs(q));
                    worst = Math.Max(worst, error);
                }
                output.WriteLine($"{c.Name,-20} {loader,-14} max |q - q_ONNX| / max(1, |q|) = {worst:E2}");
                worst.Should().BeLessThanOrEqualTo(1e-5, $"{c.Name} via {loader}");
            }
    }

    [Fact]
    public void Autograd_gradients_of_both_loaders_match_central_differences_of_the_onnx_model()
    {
        networks.Cases.Should().HaveCount(19);
        foreach (var c in networks.Cases)
        {
            // The float64 evaluation is the saved model: it gives ONNX Runtime's float32 q to float32 rounding.
            for (int r = 0; r < c.Rows.Length; r++)
                c.Float64Q[r].Should().BeApproximately(c.OnnxQ[r], 1e-5 * Math.Max(1, Math.Abs(c.OnnxQ[r])), $"{c.Name}: float64 graph on row {r}");

            var evaluator = new CommittorNetworkEvaluator(c.Spec);
            bool relu = c.Spec.Layers[0].Activation == "relu";
            foreach (var (loader, result) in new[] { ("TorchSharp", c.TorchSharp), ("python3-torch", c.Python) })
            {
                double worstDifference = 0, worstPeriodic = 0, worstExact = 0;
                int compared = 0;
                for (int r = 0; r < networks.GradientRows.Length; r++)
                {
                    // The module takes radians: dq/dphi[deg] = dq/dphi[rad] * pi / 180.
                    var autograd = result.Gradients[r].Select((g, j) => Inputs[j].Kind == InputKind.PeriodicDegrees ? g * Math.PI / 180 : g).ToArray();
                    var exact = new double[Inputs.Length];
                    evaluator.ReactionCoordinate(TestNetworks.ToDouble(networks.GradientRows[r]), exact);
                    worstExact = Math.Max(worstExact, RelativeError(autograd, exact));
                    var difference = c.FiniteDifferences[r];
                    if (difference.Any(double.IsNaN))
                    {
                        // Every stencil straddles a relu kink, where q has no derivative.
                        relu.Should().BeTrue($"{c.Name}: differences of a smooth network agree across steps");
                        continue;
                    }
                    double error = RelativeError(autograd, difference);
                    worstDifference = Math.Max(worstDifference, error);
                    if (r < PeriodicGradientRows) worstPeriodic = Math.Max(worstPeriodic, error);
                    compared++;
                }
                output.WriteLine($"{c.Name,-20} {loader,-14} |dq/dx - FD| / |FD| <= {worstDifference:E2} ({compared} points; " +
                    $"near +-180 degrees {worstPeriodic:E2}); |dq/dx - exact| / |exact| <= {worstExact:E2}");
                worstDifference.Should().BeLessThanOrEqualTo(1e-3, $"{c.Name} via {loader}");
                worstExact.Should().BeLessThanOrEqualTo(1e-4, $"{c.Name} via {loader} against the network's own gradient in double precision");
                compared.Should().BeGreaterThanOrEqualTo(relu ? networks.GradientRows.Length * 3 / 4 : networks.GradientRows.Length, c.Name);
            }
        }
    }

    /// <summary>|a - b| / |b| in the Euclidean norm.</summary>
    private static double RelativeError(double[] a, double[] b) =>
        Math.Sqrt(a.Zip(b, (x, y) => (x - y) * (x - y)).Sum()) / Math.Sqrt(b.Sum(y => y * y));

    [Fact]
    public void An_ensemble_runs_as_one_module_with_the_outputs_of_its_onnx_graph_in_both_loaders()
    {
        networks.Ensemble.Members.Select(m => m.Inputs[0].Name).Should().Contain(["d1", "psi"], "one member reads the CVs in another order");
        foreach (var (loader, result) in new[] { ("TorchSharp", networks.EnsembleTorchSharp), ("python3-torch", networks.EnsemblePython) })
        {
            double worst = 0;
            for (int r = 0; r < networks.Rows.Length; r++)
            {
                var onnx = networks.EnsembleOnnx[r];
                result.Outputs[r].Should().HaveCount(3, "q, p_B, p_B_std");
                for (int column = 0; column < 3; column++)
                    worst = Math.Max(worst, Math.Abs(result.Outputs[r][column] - onnx[column]) / Math.Max(1, Math.Abs(onnx[column])));
            }
            output.WriteLine($"ensemble of 3       {loader,-14} max |out - out_ONNX| / max(1, |out|) = {worst:E2}");
            worst.Should().BeLessThanOrEqualTo(1e-5, loader);
            result.Gradients.SelectMany(g => g).Should().OnlyContain(g => float.IsFinite(g));
        }
    }

    /// <summary>q, p_B and p_B_std of the ensemble's ONNX graph, by ONNX Runtime.</summary>
    private static float[][] EnsembleOnnxOutputs(CommittorEnsembleSpec ensemble, float[][] rows)
    {
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(CommittorEnsembleOnnxExporter.Export(ensemble));
        var input = new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>(rows.SelectMany(r => r).ToArray(), [rows.Length, rows[0].Length]);
        using var results = session.Run([Microsoft.ML.OnnxRuntime.NamedOnnxValue.CreateFromTensor(CommittorOnnxExporter.InputName, input)]);
        var columns = new[] { CommittorOnnxExporter.ReactionCoordinateOutputName, CommittorOnnxExporter.CommittorOutputName,
                CommittorEnsembleOnnxExporter.CommittorStdDevOutputName }
            .Select(name => results.Single(v => v.Name == name).AsTensor<float>().ToArray()).ToArray();
        return Enumerable.Range(0, rows.Length).Select(r => columns.Select(c => c[r]).ToArray()).ToArray();
    }

    [Fact]
    public void The_committor_column_and_the_angle_unit_options_are_honoured()
    {
        var spec = networks.Cases[0].Spec;
        using var dir = new TempFolder();
        var withCommittor = dir.File("q_pb.pt");
        var degrees = dir.File("degrees.pt");
        TorchScriptExporter.WriteFile(spec, withCommittor, new TorchScriptExportOptions { IncludeCommittor = true });
        TorchScriptExporter.WriteFile(spec, degrees, new TorchScriptExportOptions { Angles = null });
        var names = Inputs.Select(i => i.Name).ToArray();
        var rows = networks.Rows.Take(50).ToArray();

        var both = TorchScriptLoaders.TorchSharp(new(withCommittor, names, rows.Select(Radians).ToArray(), rows.Take(1).Select(Radians).ToArray()));
        var trainingUnit = TorchScriptLoaders.TorchSharp(new(degrees, names, rows, rows.Take(1).ToArray()));
        for (int r = 0; r < rows.Length; r++)
        {
            both.Outputs[r].Should().HaveCount(2);
            both.Outputs[r][1].Should().BeApproximately(1 / (1 + MathF.Exp(-both.Outputs[r][0])), 1e-6f);
            CommittorOnnxExporterTests.ShouldMatch(both.Outputs[r][0], networks.Cases[0].OnnxQ[r], "q beside p_B");
            CommittorOnnxExporterTests.ShouldMatch(trainingUnit.Outputs[r][0], networks.Cases[0].OnnxQ[r], "degrees as trained");
        }
    }

    /// <summary>phi (trained in degrees) converted to radians, the module's default unit.</summary>
    private static float[] Radians(float[] row) =>
        row.Select((v, j) => Inputs[j].Kind == InputKind.PeriodicDegrees ? (float)(v * Math.PI / 180) : v).ToArray();

    private static ShootingMatrix Training()
    {
        var rows = TestNetworks.Rows(Inputs, 400, seed: 2);
        var random = new Random(4);
        var a = new float[rows.Length];
        var b = new float[rows.Length];
        for (int r = 0; r < rows.Length; r++)
        {
            var x = rows[r];
            double p = 1 / (1 + Math.Exp(-(2 * x[0] - 2 + Math.Sin(x[1] * Math.PI / 180) + Math.Cos(x[2]))));
            for (int s = 0; s < 5; s++) if (random.NextDouble() < p) b[r]++; else a[r]++;
        }
        return new ShootingMatrix(rows.SelectMany(r => r).ToArray(), rows.Length, Inputs.Length, a, b);
    }

    private static CommittorNetworkSpec Train(ShootingMatrix data, string activation, LayerNormalization normalization, int[] widths, int epochs) =>
        CommittorTraining.Train(data, null, Inputs, new CommittorTrainerOptions
        {
            Activation = activation, Normalization = normalization, LayerWidths = widths, MaxEpochs = epochs, BatchSize = 64,
            LearningRate = 1e-2, Seed = 3, Dropout = 0.1,
        }).Network;

    /// <summary>q of the ML.NET chain RcML saves (Concatenate, then the ONNX scorer), as ONNX Runtime computes it.</summary>
    private static float[] OnnxQ(CommittorNetworkSpec spec, float[][] rows)
    {
        var ml = new MLContext(seed: 1);
        var names = spec.Inputs.Select(i => i.Name).ToArray();
        var view = new ColumnarDataView(names.Select((n, j) => (n, rows.Select(r => r[j]).ToArray())).ToList());
        var model = new TransformerChain<ITransformer>(ml.Transforms.Concatenate("Features", names).Fit(view),
            CommittorScoring.CreateTransformer(ml, CommittorOnnxExporter.Export(spec)));
        return CommittorModelFile.Score(model, view).ReactionCoordinate;
    }

    /// <summary>Steps of the finite differences, as multiples of <see cref="Step"/>.</summary>
    private static readonly double[] StepFactors = [1.0 / 64, 1.0 / 32, 1.0 / 16, 1.0 / 8, 1.0 / 4, 1.0 / 2, 1];

    /// <summary>Rows of the five-point stencils: per point, per input, per step, x - 2h, x - h, x + h, x + 2h.</summary>
    private static double[][] Stencils(float[][] points) =>
        (from point in points
         from j in Enumerable.Range(0, point.Length)
         from factor in StepFactors
         from k in new[] { -2, -1, 1, 2 }
         select TestNetworks.ToDouble(point).Select((v, i) => i == j ? v + k * Step(j) * factor : v).ToArray()).ToArray();

    /// <summary>
    /// Derivatives of the ML.NET/ONNX model by five-point central differences of its float64 evaluation on
    /// <see cref="Stencils"/>, (q(x - 2h) - 8 q(x - h) + 8 q(x + h) - q(x + 2h)) / 12h, per raw input in its training unit.
    /// Each derivative is taken at the step whose estimate agrees best with the estimate at twice that step (a stencil that
    /// straddles a relu kink is wrong at any precision); NaN when no two agree within 1e-6.
    /// </summary>
    private static double[][] FiniteDifferences(double[] q, float[][] points)
    {
        int at = 0;
        return points.Select(point => Enumerable.Range(0, point.Length).Select(j =>
        {
            var estimates = StepFactors.Select(factor =>
            {
                double d = (q[at] - 8.0 * q[at + 1] + 8.0 * q[at + 2] - q[at + 3]) / (12 * Step(j) * factor);
                at += 4;
                return d;
            }).ToArray();
            int best = Enumerable.Range(0, StepFactors.Length - 1).MinBy(i => Math.Abs(estimates[i] - estimates[i + 1]));
            return Math.Abs(estimates[best] - estimates[best + 1]) <= 1e-6 * Math.Abs(estimates[best]) + 1e-9 ? estimates[best] : double.NaN;
        }).ToArray()).ToArray();
    }

    private static double Step(int input) => Inputs[input].Kind == InputKind.PeriodicDegrees ? 1.0 : 2e-2;
}
