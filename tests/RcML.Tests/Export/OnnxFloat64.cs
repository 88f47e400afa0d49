using System.Runtime.InteropServices;
using System.Text.Json;
using FluentAssertions;

namespace RcML.Tests.Export;

/// <summary>
/// The ONNX graph inside a saved model zip, evaluated in float64: Debian's python3-onnx parses the graph and numpy runs
/// its nodes in double precision (the float32 weights and attributes converted exactly). ONNX Runtime has no float64
/// kernels for some of the graph's operators (Elu, Erf, Softplus, LeakyRelu), and finite differences of a float32
/// evaluation carry too much rounding for a 1e-3 check of gradients through layer norm.
/// </summary>
internal static class OnnxFloat64
{
    /// <summary>One model zip and the rows [N, raw inputs] to score.</summary>
    public sealed record Job(string ModelZip, double[][] Rows);

    /// <summary>q (the graph's first output) of every job's rows, all jobs in one python subprocess.</summary>
    public static IReadOnlyList<double[]> ReactionCoordinates(IReadOnlyList<Job> jobs, string folder)
    {
        var manifest = jobs.Select((job, k) =>
        {
            var rows = Path.Combine(folder, $"float64_job{k}.rows");
            File.WriteAllBytes(rows, MemoryMarshal.AsBytes(job.Rows.SelectMany(r => r).ToArray().AsSpan()).ToArray());
            return new { model = job.ModelZip, rows, width = job.Rows[0].Length, q = Path.Combine(folder, $"float64_job{k}.q") };
        }).ToArray();
        var manifestPath = Path.Combine(folder, "float64_jobs.json");
        File.WriteAllText(manifestPath, JsonSerializer.Serialize(manifest));
        var run = Programs.Program("/usr/bin/python3", ["-c", Script, manifestPath], timeoutSeconds: 600);
        run.ExitCode.Should().Be(0, run.ToString());
        return manifest.Select((m, k) =>
        {
            var q = MemoryMarshal.Cast<byte, double>(File.ReadAllBytes(m.q)).ToArray();
            q.Should().HaveCount(jobs[k].Rows.Length);
            return q;
        }).ToArray();
    }

    // Finds the ONNX payload in the zip (OnnxTransformer stores it after an Int32 length), then runs the graph's nodes
    // in order; an operator it does not know stops it, so a graph it cannot evaluate never passes as a reference.
    private const string Script = """
        import json, math, sys, zipfile, numpy as np, onnx
        from onnx import helper, numpy_helper

        def load(path):
            with zipfile.ZipFile(path) as z:
                for name in z.namelist():
                    data = z.read(name)
                    if b"rcml.committor_network" not in data:
                        continue
                    for offset in (4, 0):
                        try:
                            model = onnx.load_from_string(data[offset:])
                        except Exception:
                            continue
                        if len(model.graph.node) > 0:
                            return model
            raise SystemExit("no RcML ONNX graph in " + path)

        erf = np.vectorize(math.erf)
        unary = {
            "Identity": lambda x, a: x, "Neg": lambda x, a: -x, "Sin": lambda x, a: np.sin(x), "Cos": lambda x, a: np.cos(x),
            "Tanh": lambda x, a: np.tanh(x), "Relu": lambda x, a: np.maximum(x, 0.0), "Sigmoid": lambda x, a: 1 / (1 + np.exp(-x)),
            "Elu": lambda x, a: np.where(x > 0, x, a.get("alpha", 1.0) * np.expm1(np.minimum(x, 0.0))),
            "LeakyRelu": lambda x, a: np.where(x > 0, x, a.get("alpha", 0.01) * x),
            "Softplus": lambda x, a: np.logaddexp(0.0, x), "Erf": lambda x, a: erf(x), "Sqrt": lambda x, a: np.sqrt(x),
        }
        binary = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply, "Div": np.divide}

        def run(model, x):
            values = {}
            for t in model.graph.initializer:
                array = numpy_helper.to_array(t)
                values[t.name] = array.astype(np.float64) if array.dtype == np.float32 else array
            values[model.graph.input[0].name] = x
            for node in model.graph.node:
                a = {attr.name: helper.get_attribute_value(attr) for attr in node.attribute}
                i = [values[name] for name in node.input]
                op = node.op_type
                if op in unary:
                    y = unary[op](i[0], a)
                elif op in binary:
                    y = binary[op](i[0], i[1])
                elif op == "Gather":
                    y = np.take(i[0], i[1], axis=a.get("axis", 0))
                elif op == "Concat":
                    y = np.concatenate(i, axis=a["axis"])
                elif op == "Gemm":
                    left = i[0].T if a.get("transA", 0) else i[0]
                    right = i[1].T if a.get("transB", 0) else i[1]
                    y = a.get("alpha", 1.0) * (left @ right) + (a.get("beta", 1.0) * i[2] if len(i) > 2 else 0.0)
                elif op == "LayerNormalization" and a.get("axis", -1) in (-1, i[0].ndim - 1):
                    mean = i[0].mean(axis=-1, keepdims=True)
                    variance = ((i[0] - mean) ** 2).mean(axis=-1, keepdims=True)
                    y = (i[0] - mean) / np.sqrt(variance + a.get("epsilon", 1e-5)) * i[1] + i[2]
                else:
                    raise SystemExit("operator %s is not evaluated in float64" % op)
                values[node.output[0]] = y
            return values[model.graph.output[0].name]

        for job in json.load(open(sys.argv[1])):
            rows = np.fromfile(job["rows"], dtype=np.float64).reshape(-1, job["width"])
            q = run(load(job["model"]), rows)
            if q.dtype != np.float64 or q.shape != (rows.shape[0], 1):
                raise SystemExit("q %s %s" % (q.dtype, q.shape))
            q.reshape(-1).tofile(job["q"])
        """;
}
