using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RcML.Bench;

/// <summary>Settings shared by every benchmark section.</summary>
public sealed class BenchContext
{
    public required bool Quick { get; init; }
    public required string RepoRoot { get; init; }
    public required string ResultsDir { get; init; }
    public required string WorkDir { get; init; }
    public required string Python { get; init; }
    /// <summary>--cases: run only these training cases (A/B checks of trainer changes).</summary>
    public HashSet<string>? Cases { get; init; }
    /// <summary>--reps: training repetitions.</summary>
    public int? Reps { get; init; }
    /// <summary>--no-peer: skip the PyTorch peer in the training section and Optuna in the tuning section (RcML-only A/B checks).</summary>
    public bool NoPeer { get; init; }
    /// <summary>--tasks: run only these tuning tasks (faster iteration on tuners; the headline needs committor).</summary>
    public HashSet<string>? Tasks { get; init; }
    /// <summary>--tuners: run only these RcML tuners (optuna_tpe runs too unless --no-peer: it sets the target).</summary>
    public HashSet<string>? Tuners { get; init; }
    /// <summary>--trace: also write every tuning trial (parameters, loss) to tuning_trace.jsonl in the output folder.</summary>
    public bool Trace { get; init; }
    /// <summary>--first-seed: tuner seeds start here (fresh seeds for judging a tuner change; the committed runs use 0..).</summary>
    public int FirstSeed { get; init; }
    /// <summary>--seeds: seeds per tuning task instead of the defaults.</summary>
    public int? Seeds { get; init; }
    /// <summary>--rcml-args: extra arguments of every `rcml tune` of the delivered section (A/B runs of non-default settings).</summary>
    public string[] RcmlArgs { get; init; } = [];
    /// <summary>--budgets: the delivered section's budgets in seconds instead of its definition's (A/B runs).</summary>
    public int[]? Budgets { get; init; }
    /// <summary>--systems: run only these systems of the delivered section.</summary>
    public HashSet<string>? Systems { get; init; }
    public string PeersDir => Path.Combine(RepoRoot, "bench", "peers");
    public void Log(string message) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {message}");
}

public static class Stats
{
    public static double Median(IEnumerable<double> values) => Quantile(values, 0.5);

    public static double Quantile(IEnumerable<double> values, double q)
    {
        var v = values.Where(double.IsFinite).OrderBy(x => x).ToArray();
        if (v.Length == 0) return double.NaN;
        double pos = q * (v.Length - 1);
        int lo = (int)Math.Floor(pos), hi = (int)Math.Ceiling(pos);
        return v[lo] + (v[hi] - v[lo]) * (pos - lo);
    }

    /// <summary>Median, min, max, quartiles as a JSON object.</summary>
    public static JsonObject Summary(IEnumerable<double> values)
    {
        var v = values.ToArray();
        return new JsonObject
        {
            ["median"] = J(Median(v)), ["q25"] = J(Quantile(v, 0.25)), ["q75"] = J(Quantile(v, 0.75)),
            ["min"] = J(v.Where(double.IsFinite).DefaultIfEmpty(double.NaN).Min()),
            ["max"] = J(v.Where(double.IsFinite).DefaultIfEmpty(double.NaN).Max()), ["n"] = v.Length,
        };
    }

    /// <summary>A finite double as a rounded JSON number, NaN/inf as null.</summary>
    public static JsonNode? J(double x) => double.IsFinite(x) ? JsonValue.Create(double.Parse(x.ToString("G7", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)) : null;

    public static JsonArray Arr(IEnumerable<double> values) => new(values.Select(J).ToArray());
}

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

/// <summary>A tiny SVG line chart (no plotting dependency).</summary>
public static class Svg
{
    public sealed record Series(string Name, double[] X, double[] Y);

    static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"];

    public static string LineChart(string title, string xLabel, string yLabel, IReadOnlyList<Series> series, bool logX = false, bool logY = false)
    {
        const double W = 640, H = 400, L = 70, R = 170, T = 40, B = 50;
        Func<double, double> fx = logX ? Math.Log10 : x => x, fy = logY ? Math.Log10 : y => y;
        var pts = series.SelectMany(s => s.X.Zip(s.Y)).Where(p => double.IsFinite(p.First) && double.IsFinite(p.Second)
            && (!logX || p.First > 0) && (!logY || p.Second > 0)).ToArray();
        if (pts.Length == 0) return "";
        double x0 = pts.Min(p => fx(p.First)), x1 = pts.Max(p => fx(p.First));
        double y0 = pts.Min(p => fy(p.Second)), y1 = pts.Max(p => fy(p.Second));
        if (x1 - x0 < 1e-12) { x0 -= 1; x1 += 1; }
        if (y1 - y0 < 1e-12) { y0 -= 1; y1 += 1; }
        double pad = (y1 - y0) * 0.05; y0 -= pad; y1 += pad;
        double Px(double x) => L + (fx(x) - x0) / (x1 - x0) * (W - L - R);
        double Py(double y) => H - B - (fy(y) - y0) / (y1 - y0) * (H - T - B);
        var sb = new StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        sb.Append(ci, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        sb.Append(ci, $"<rect width=\"{W}\" height=\"{H}\" fill=\"white\"/>\n");
        sb.Append(ci, $"<text x=\"{W / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">{Esc(title)}</text>\n");
        sb.Append(ci, $"<rect x=\"{L}\" y=\"{T}\" width=\"{W - L - R}\" height=\"{H - T - B}\" fill=\"none\" stroke=\"#444\"/>\n");
        for (int i = 0; i <= 4; i++)
        {
            double fxv = x0 + (x1 - x0) * i / 4, fyv = y0 + (y1 - y0) * i / 4;
            double xv = logX ? Math.Pow(10, fxv) : fxv, yv = logY ? Math.Pow(10, fyv) : fyv;
            double px = L + (W - L - R) * i / 4, py = H - B - (H - T - B) * i / 4;
            sb.Append(ci, $"<text x=\"{px:F1}\" y=\"{H - B + 16}\" text-anchor=\"middle\">{Fmt(xv)}</text>\n");
            sb.Append(ci, $"<text x=\"{L - 6}\" y=\"{py + 4:F1}\" text-anchor=\"end\">{Fmt(yv)}</text>\n");
            sb.Append(ci, $"<line x1=\"{L}\" x2=\"{W - R}\" y1=\"{py:F1}\" y2=\"{py:F1}\" stroke=\"#ddd\"/>\n");
        }
        sb.Append(ci, $"<text x=\"{(L + W - R) / 2}\" y=\"{H - 12}\" text-anchor=\"middle\">{Esc(xLabel)}</text>\n");
        sb.Append(ci, $"<text x=\"16\" y=\"{(T + H - B) / 2}\" text-anchor=\"middle\" transform=\"rotate(-90 16 {(T + H - B) / 2})\">{Esc(yLabel)}</text>\n");
        for (int s = 0; s < series.Count; s++)
        {
            var c = Colors[s % Colors.Length];
            var p = series[s].X.Zip(series[s].Y).Where(q => double.IsFinite(q.First) && double.IsFinite(q.Second)
                && (!logX || q.First > 0) && (!logY || q.Second > 0))
                .Select(q => string.Create(ci, $"{Px(q.First):F1},{Py(q.Second):F1}"));
            sb.Append(ci, $"<polyline fill=\"none\" stroke=\"{c}\" stroke-width=\"2\" points=\"{string.Join(" ", p)}\"/>\n");
            sb.Append(ci, $"<line x1=\"{W - R + 10}\" x2=\"{W - R + 30}\" y1=\"{T + 10 + 18 * s}\" y2=\"{T + 10 + 18 * s}\" stroke=\"{c}\" stroke-width=\"2\"/>\n");
            sb.Append(ci, $"<text x=\"{W - R + 34}\" y=\"{T + 14 + 18 * s}\">{Esc(series[s].Name)}</text>\n");
        }
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    static string Fmt(double v) => Math.Abs(v) >= 1000 || (Math.Abs(v) < 0.01 && v != 0) ? v.ToString("0.##E0", CultureInfo.InvariantCulture) : v.ToString("0.###", CultureInfo.InvariantCulture);
    static string Esc(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
