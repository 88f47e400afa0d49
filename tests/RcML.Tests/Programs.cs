using System.Diagnostics;

namespace RcML.Tests;

/// <summary>The repository's programs (CLI, samples), built beside the tests and run as separate processes.</summary>
internal static class Programs
{
    public sealed record Run(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
    }

    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>Debug or Release, as the tests themselves were built.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    public static string BuiltAssembly(string projectFolder, string assembly) =>
        Path.Combine(RepositoryRoot, projectFolder, "bin", Configuration, "net10.0", assembly + ".dll");

    public static Run Rcml(params string[] args) => Dotnet(BuiltAssembly("src/RcML.Cli", "RcML.Cli"), args);

    public static Run Dotnet(string assembly, IEnumerable<string> args, string? workingDirectory = null, int timeoutSeconds = 300) =>
        Program("dotnet", args.Prepend(assembly), workingDirectory, timeoutSeconds);

    /// <summary>Runs any program to its end, capturing both streams.</summary>
    public static Run Program(string file, IEnumerable<string> args, string? workingDirectory = null, int timeoutSeconds = 300)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null) start.WorkingDirectory = workingDirectory;
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutSeconds * 1000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in {timeoutSeconds} s.");
        }
        return new Run(process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "RcML.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("RcML.sln not found above the test folder.");
    }
}
