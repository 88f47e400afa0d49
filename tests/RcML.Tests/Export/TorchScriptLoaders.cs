using System.Runtime.InteropServices;
using System.Text.Json;
using FluentAssertions;
using RcML.Native;
using static TorchSharp.torch;

namespace RcML.Tests.Export;

/// <summary>
/// The two independent loaders a TorchScript file must satisfy: TorchSharp's <c>torch.jit.load</c> (libtorch 2.10, in
/// this process) and Debian's python3-torch (libtorch 1.13, one python subprocess for a whole batch of files).
/// </summary>
internal static class TorchScriptLoaders
{
    /// <summary>One module file and the rows to run through it.</summary>
    /// <param name="Module">The .pt file.</param>
    /// <param name="InputNames">What its input_names attribute must hold.</param>
    /// <param name="Rows">Rows [N, inputs] for the values.</param>
    /// <param name="GradientRows">Rows [M, inputs] for dq/dx (output column 0).</param>
    public sealed record Job(string Module, IReadOnlyList<string> InputNames, float[][] Rows, float[][] GradientRows);

    /// <summary>Outputs [N, columns] and gradients [M, inputs] of one job.</summary>
    public sealed record Result(float[][] Outputs, float[][] Gradients);

    /// <summary>Loads with TorchSharp (libtorch 2.10) and runs the rows; gradients by autograd.</summary>
    public static Result TorchSharp(Job job)
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var module = jit.load<Tensor, Tensor>(job.Module);
        module.eval();
        Tensor outputs;
        using (no_grad()) outputs = module.forward(Matrix(job.Rows));
        var x = Matrix(job.GradientRows).requires_grad_();
        module.forward(x).select(1, 0).sum().backward();
        return new Result(Rows(outputs), Rows(x.grad!));
    }

    /// <summary>Loads every job's file with /usr/bin/python3's torch (libtorch 1.13) in one subprocess.</summary>
    public static IReadOnlyList<Result> Python(IReadOnlyList<Job> jobs, string folder)
    {
        var manifest = new List<object>();
        for (int k = 0; k < jobs.Count; k++)
        {
            var job = jobs[k];
            string Raw(string name, float[][] rows)
            {
                var path = Path.Combine(folder, $"job{k}.{name}");
                File.WriteAllBytes(path, MemoryMarshal.AsBytes(rows.SelectMany(r => r).ToArray().AsSpan()).ToArray());
                return path;
            }
            manifest.Add(new
            {
                module = job.Module, input_names = job.InputNames, width = job.InputNames.Count,
                rows = Raw("rows", job.Rows), gradient_rows = Raw("gradient_rows", job.GradientRows),
                outputs = Path.Combine(folder, $"job{k}.outputs"), gradients = Path.Combine(folder, $"job{k}.gradients"),
            });
        }
        var manifestPath = Path.Combine(folder, "jobs.json");
        File.WriteAllText(manifestPath, JsonSerializer.Serialize(manifest));
        var run = Programs.Program("/usr/bin/python3", ["-c", Script, manifestPath], timeoutSeconds: 600);
        run.ExitCode.Should().Be(0, run.ToString());

        return jobs.Select((job, k) =>
        {
            var outputs = Floats(Path.Combine(folder, $"job{k}.outputs"));
            var gradients = Floats(Path.Combine(folder, $"job{k}.gradients"));
            int columns = outputs.Length / job.Rows.Length;
            return new Result(Split(outputs, columns), Split(gradients, job.InputNames.Count));
        }).ToArray();
    }

    // Checks the module's input names, then writes its outputs and the gradients of output column 0 as raw float32.
    private const string Script = """
        import json, sys, numpy, torch
        print(torch.__version__)
        for job in json.load(open(sys.argv[1])):
            m = torch.jit.load(job["module"])
            m.eval()
            if list(m.input_names) != job["input_names"]:
                raise SystemExit("input_names %s != %s" % (m.input_names, job["input_names"]))
            rows = torch.from_numpy(numpy.fromfile(job["rows"], dtype=numpy.float32).reshape(-1, job["width"]))
            with torch.no_grad():
                out = m(rows)
            if out.dtype != torch.float32 or out.dim() != 2 or out.shape[0] != rows.shape[0]:
                raise SystemExit("output %s %s" % (out.dtype, tuple(out.shape)))
            out.numpy().astype(numpy.float32).tofile(job["outputs"])
            x = torch.from_numpy(numpy.fromfile(job["gradient_rows"], dtype=numpy.float32).reshape(-1, job["width"])).requires_grad_()
            m(x)[:, 0].sum().backward()
            x.grad.numpy().astype(numpy.float32).tofile(job["gradients"])
        """;

    private static Tensor Matrix(float[][] rows) => tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, rows[0].Length]);

    private static float[][] Rows(Tensor t)
    {
        var values = t.detach().contiguous().data<float>().ToArray();
        return Split(values, (int)t.shape[1]);
    }

    private static float[][] Split(float[] values, int columns) => values.Chunk(columns).ToArray();

    private static float[] Floats(string path) => MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(path)).ToArray();
}
