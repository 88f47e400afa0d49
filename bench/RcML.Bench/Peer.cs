using System.Diagnostics;
using System.Text.Json.Nodes;

namespace RcML.Bench;

/// <summary>Runs the Python peers with the same thread settings as RcML.</summary>
public static class Peer
{
    public const string OpenBlasDir = "/usr/lib/x86_64-linux-gnu/openblas-openmp";

    public static ProcessStartInfo StartInfo(BenchContext ctx, string script, params string[] args)
    {
        var psi = new ProcessStartInfo(ctx.Python)
        {
            RedirectStandardOutput = true, RedirectStandardInput = true, RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(ctx.PeersDir, script));
        foreach (var a in args) psi.ArgumentList.Add(a);
        // Same libgomp/OpenMP settings as RcML (TorchRuntime sets OMP_WAIT_POLICY=PASSIVE; both pin 2 threads).
        psi.Environment["OMP_WAIT_POLICY"] = "PASSIVE";
        psi.Environment["OMP_NUM_THREADS"] = "2";
        psi.Environment["MKL_NUM_THREADS"] = "2";
        psi.Environment["PYTHONNOUSERSITE"] = "1";
        psi.Environment.Remove("PYTHONPATH");
        // Debian's python3-torch links libblas.so.3, which defaults to the reference (netlib) BLAS: ~15x slower GEMM than
        // libtorch's MKL. The peers use Debian's OpenBLAS (libopenblas0-openmp, libgomp like torch) instead, for this process only.
        if (File.Exists(Path.Combine(OpenBlasDir, "libblas.so.3"))) psi.Environment["LD_LIBRARY_PATH"] = OpenBlasDir;
        return psi;
    }

    /// <summary>Runs a peer script to completion and parses the last stdout line as JSON.</summary>
    public static JsonNode RunJson(BenchContext ctx, string script, params string[] args)
    {
        using var p = Process.Start(StartInfo(ctx, script, args))!;
        p.StandardInput.Close();
        var errTask = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        var err = errTask.Result;
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{script} failed ({p.ExitCode}): {err.Trim()}");
        var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
        return JsonNode.Parse(last)!;
    }
}
