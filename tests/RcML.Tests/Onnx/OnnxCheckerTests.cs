using System.IO.Compression;
using FluentAssertions;
using RcML.Committor;
using RcML.Ensembles;
using RcML.Onnx;
using RcML.Tests.Export;
using Xunit;

namespace RcML.Tests.Onnx;

/// <summary>
/// Every kind of ONNX graph RcML writes passes an independent reader: Debian's python3-onnx checker (full check, with
/// shape inference), run once over all of them.
/// </summary>
public class OnnxCheckerTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Every_exported_graph_passes_the_onnx_checker()
    {
        var graphs = new List<(string Name, byte[] Bytes)>();
        foreach (var activation in TestNetworks.AllActivations)
            foreach (bool layerNorm in new[] { false, true })
                foreach (bool fold in new[] { false, true })
                {
                    var spec = TestNetworks.Create(3, TestNetworks.MixedInputs, [activation, activation], layerNorm);
                    graphs.Add(($"{activation}-{layerNorm}-{fold}", CommittorOnnxExporter.Export(spec, fold)));
                }
        var linear = TestNetworks.Create(4, [new NetworkInput("d", InputKind.Linear)], ["tanh"], layerNorm: false);
        graphs.Add(("linear-only", CommittorOnnxExporter.Export(linear)));
        var ensemble = new CommittorEnsembleSpec
        {
            Members =
            [
                TestNetworks.Create(5, TestNetworks.MixedInputs, ["tanh"], layerNorm: false),
                TestNetworks.Create(6, [.. TestNetworks.MixedInputs.Reverse()], ["gelu", "silu"], layerNorm: true),
            ],
        };
        graphs.Add(("ensemble", CommittorEnsembleOnnxExporter.Export(ensemble)));
        graphs.Add(("ensemble-folded-named", CommittorEnsembleOnnxExporter.Export(ensemble, true, new OnnxValueNames("Raw", "Q.Vector", "P.Vector", "S.Vector"))));
        // The graph inside a saved model zip, as the scorer wrote it with the column names it needs.
        var zip = ModelZips.Save(TestNetworks.Create(7, TestNetworks.MixedInputs, ["elu"], layerNorm: true), _dir.File("model.zip"));
        graphs.Add(("model-zip", SavedGraph(zip)));

        var paths = graphs.Select(g => { var path = _dir.File(g.Name + ".onnx"); File.WriteAllBytes(path, g.Bytes); return path; }).ToArray();
        const string Script = """
            import sys, onnx
            for path in sys.argv[1:]:
                onnx.checker.check_model(onnx.load(path), full_check=True)
            print(onnx.__version__, len(sys.argv) - 1, "checked")
            """;
        var run = Programs.Program("/usr/bin/python3", ["-c", Script, .. paths]);
        run.ExitCode.Should().Be(0, run.ToString());
        run.Stdout.Should().Contain($"{graphs.Count} checked");
    }

    /// <summary>The ONNX model the OnnxTransformer stored in a model zip (after its 4-byte length prefix).</summary>
    private static byte[] SavedGraph(string modelZip)
    {
        using var zip = ZipFile.OpenRead(modelZip);
        var entry = zip.Entries.Single(e => e.FullName.EndsWith("/OnnxModel", StringComparison.Ordinal));
        using var stream = new MemoryStream();
        using (var s = entry.Open()) s.CopyTo(stream);
        var bytes = stream.ToArray();
        var graph = bytes[4..];
        CommittorOnnxExporter.ReadSpec(graph).Layers.Should().HaveCount(2);
        return graph;
    }
}
