using System.Reflection;
using System.Runtime.InteropServices;
using RcML.IO;
using TorchSharp;

namespace RcML.Native;

/// <summary>
/// Makes TorchSharp's native library load on Linux systems whose libstdc++ is older than the one it was
/// linked against. TorchSharp 0.107's libLibTorchSharp.so needs GLIBCXX_3.4.32 for a single link-time marker
/// (<c>std::ios_base_library_init</c>) that is never called; Debian 12 ships 3.4.30. Where (and only where) the
/// system libstdc++ lacks a version the library asks for, a copy whose need for it is marked weak is written
/// beside libtorch's own .so files (its RUNPATH is $ORIGIN, so it must sit there) and handed to TorchSharp.
/// </summary>
public static class TorchRuntime
{
    private const string LibraryName = "LibTorchSharp";
    private const string LibraryFile = "libLibTorchSharp.so";
    private const string PatchedFile = "libLibTorchSharp.weak-glibcxx.so";

    private static readonly object Gate = new();
    private static bool _initialized;
    private static IntPtr _patchedHandle;

    /// <summary>The versions of libstdc++ that had to be marked weak on this machine; empty where none.</summary>
    public static IReadOnlyList<string> WeakenedVersions { get; private set; } = Array.Empty<string>();

    /// <summary>Full path of the patched copy in use, or null where the original loads as it is.</summary>
    public static string? PatchedLibraryPath { get; private set; }

    /// <summary>
    /// Prepares and loads TorchSharp's native backend (CPU). Safe to call many times and from many threads;
    /// every RcML entry point that trains calls it first.
    /// </summary>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (_initialized) return;
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                // libgomp's threads spin while waiting by default; on a shared or busy machine that made
                // training several times slower (measured: 21 s vs 3.5 s for the same run). The user's own
                // setting wins (overwrite = 0). Set natively: .NET's SetEnvironmentVariable does not reach getenv.
                SetEnv("OMP_WAIT_POLICY", "PASSIVE", 0);
                // MKL picks GEMM code paths by buffer alignment, so the same training gave losses differing in the
                // last bits from one process to the next, and a seeded study could diverge. Strict conditional
                // numerical reproducibility keeps the best instruction set and cost nothing measurable here.
                SetEnv("MKL_CBWR", "AUTO,STRICT", 0);
                PrepareLinux();
            }
            torch.InitializeDeviceType(DeviceType.CPU);
            _initialized = true;
        }
    }

    private static void PrepareLinux()
    {
        var original = FindOriginalLibrary();
        var libstdcxx = LibStdCxxPath();
        if (original is null || libstdcxx is null) return; // TorchSharp reports what is missing itself.

        var elf = File.ReadAllBytes(original);
        var missing = MissingVersions(elf, ElfVersionNeeds.ReadDefinitions(File.ReadAllBytes(libstdcxx)));
        if (missing.Count == 0) return;

        ElfVersionNeeds.MarkWeak(elf, missing);
        var patched = WritePatchedCopy(Path.GetDirectoryName(original)!, elf);
        _patchedHandle = NativeLibrary.Load(patched);
        PatchedLibraryPath = patched;
        WeakenedVersions = missing.Select(m => m.Version).ToArray();
        // DllImports and TorchSharp's own NativeLibrary.TryLoad of "LibTorchSharp" both go through this resolver.
        NativeLibrary.SetDllImportResolver(typeof(torch).Assembly, Resolve);
    }

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetEnv(string name, string value, int overwrite);

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name is LibraryName or LibraryFile ? _patchedHandle : IntPtr.Zero;

    /// <summary>The libstdc++ version needs of <paramref name="elf"/> that <paramref name="defined"/> lacks.</summary>
    internal static List<ElfVersionNeeds.VersionNeed> MissingVersions(byte[] elf, IReadOnlySet<string> defined) =>
        ElfVersionNeeds.ReadNeeds(elf)
            .Where(n => n.File.StartsWith("libstdc++", StringComparison.Ordinal) && !defined.Contains(n.Version))
            .ToList();

    /// <summary>Where the app's copy of libLibTorchSharp.so sits: the native search folders the host was given.</summary>
    internal static string? FindOriginalLibrary()
    {
        var folders = new List<string>();
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string dirs)
            folders.AddRange(dirs.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        var baseDir = AppContext.BaseDirectory;
        folders.Add(Path.Combine(baseDir, "runtimes", "linux-x64", "native"));
        folders.Add(baseDir);
        var torchDir = Path.GetDirectoryName(typeof(torch).Assembly.Location);
        if (!string.IsNullOrEmpty(torchDir)) folders.Add(torchDir);
        return folders.Select(f => Path.Combine(f, LibraryFile)).FirstOrDefault(File.Exists);
    }

    /// <summary>The libstdc++ this process uses (the .NET runtime already has it mapped), or the usual system path.</summary>
    internal static string? LibStdCxxPath()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                int slash = line.IndexOf('/');
                if (slash >= 0 && line.Contains("libstdc++.so.6", StringComparison.Ordinal))
                    return line[slash..].Trim();
            }
        }
        catch (IOException) { }
        string[] candidates = ["/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/lib64/libstdc++.so.6"];
        return candidates.FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// Writes the patched library beside the original (same folder as libtorch's .so files), atomically, and
    /// reuses an identical copy left by an earlier run.
    /// </summary>
    private static string WritePatchedCopy(string folder, byte[] patched)
    {
        var target = Path.Combine(folder, PatchedFile);
        if (File.Exists(target) && new FileInfo(target).Length == patched.Length &&
            File.ReadAllBytes(target).AsSpan().SequenceEqual(patched))
            return target;
        try
        {
            AtomicFile.Write(target, temp => File.WriteAllBytes(temp, patched));
            return target;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new InvalidOperationException(
                $"TorchSharp's native library needs libstdc++ versions this system lacks, and RcML could not write " +
                $"its compatible copy to '{target}' ({e.Message}). Make that folder writable once, or install a " +
                "libstdc++ from GCC 13 or newer.", e);
        }
    }
}
