using Microsoft.ML;
using Microsoft.ML.Data;
using RcML.Committor;
using RcML.Data;
using RcML.Onnx;

namespace RcML.Tests.Export;

/// <summary>Model zips as rcml train saves them (Concatenate of the raw CV columns, then the committor scorer), for a given network.</summary>
internal static class ModelZips
{
    public static string Save(CommittorNetworkSpec spec, string path)
    {
        var ml = new MLContext(seed: 1);
        var names = spec.Inputs.Select(i => i.Name).ToArray();
        var columns = names.Select(n => (n, new float[] { 0 })).ToList();
        var view = new ColumnarDataView(columns);
        var concatenate = ml.Transforms.Concatenate("Features", names).Fit(view);
        var model = new TransformerChain<ITransformer>(concatenate, CommittorScoring.CreateTransformer(ml, CommittorOnnxExporter.Export(spec)));
        CommittorModelFile.Save(ml, model, names, path);
        return path;
    }
}
