using FluentAssertions;
using RcML.Native;
using TorchSharp;
using Xunit;

namespace RcML.Tests.Native;

public class TorchRuntimeTests
{
    private static byte[] ShippedLibrary() =>
        File.ReadAllBytes(TorchRuntime.FindOriginalLibrary() ?? throw new FileNotFoundException("libLibTorchSharp.so"));

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "getenv")]
    private static extern IntPtr NativeGetEnv(string name);

    [Fact]
    public void Asks_MKL_for_reproducible_results_in_the_native_environment()
    {
        // Without it the same seeded training ended a few ulps apart in two processes (MKL picks GEMM code paths by
        // buffer alignment) and the bench's GP studies diverged from run to run; with it two processes agreed bit for
        // bit over 2 x 100 committor trainings, at the same speed.
        TorchRuntime.EnsureLoaded();
        var value = System.Runtime.InteropServices.Marshal.PtrToStringAnsi(NativeGetEnv("MKL_CBWR"));
        var preset = Environment.GetEnvironmentVariable("MKL_CBWR");
        value.Should().Be(preset ?? "AUTO,STRICT", "the user's own setting wins, otherwise RcML sets it before libtorch loads");
    }

    [Fact]
    public void Reads_the_libstdcxx_version_needs_of_the_shipped_library()
    {
        var needs = ElfVersionNeeds.ReadNeeds(ShippedLibrary());
        needs.Should().Contain(n => n.File == "libstdc++.so.6" && n.Version == "GLIBCXX_3.4.32");
        needs.Should().Contain(n => n.File == "libc.so.6" && n.Version == "GLIBC_2.2.5");
    }

    [Fact]
    public void Marks_only_the_missing_versions_weak()
    {
        var elf = ShippedLibrary();
        var defined = new HashSet<string>(ElfVersionNeeds.ReadNeeds(elf).Select(n => n.Version));
        defined.Remove("GLIBCXX_3.4.32");
        var missing = TorchRuntime.MissingVersions(elf, defined);
        missing.Select(m => m.Version).Should().Equal("GLIBCXX_3.4.32");

        ElfVersionNeeds.MarkWeak(elf, missing).Should().Be(1);
        var after = ElfVersionNeeds.ReadNeeds(elf);
        after.Single(n => n.Version == "GLIBCXX_3.4.32").Flags.Should().Be(ElfVersionNeeds.VerFlagWeak);
        after.Where(n => n.Version != "GLIBCXX_3.4.32").Should().OnlyContain(n => (n.Flags & ElfVersionNeeds.VerFlagWeak) == 0);
    }

    [Fact]
    public void Needs_nothing_when_the_system_defines_every_version()
    {
        var elf = ShippedLibrary();
        var all = new HashSet<string>(ElfVersionNeeds.ReadNeeds(elf).Select(n => n.Version));
        TorchRuntime.MissingVersions(elf, all).Should().BeEmpty();
    }

    [Fact]
    public void Loads_TorchSharp_and_patches_only_where_the_system_libstdcxx_is_too_old()
    {
        TorchRuntime.EnsureLoaded();
        var systemDefines = ElfVersionNeeds.ReadDefinitions(File.ReadAllBytes(TorchRuntime.LibStdCxxPath()!));
        bool needed = !systemDefines.Contains("GLIBCXX_3.4.32");

        TorchRuntime.WeakenedVersions.Contains("GLIBCXX_3.4.32").Should().Be(needed);
        (TorchRuntime.PatchedLibraryPath is not null).Should().Be(needed);
        if (needed)
            Path.GetDirectoryName(TorchRuntime.PatchedLibraryPath).Should()
                .Be(Path.GetDirectoryName(TorchRuntime.FindOriginalLibrary()), "libtorch's RUNPATH is $ORIGIN");

        // A real forward/backward pass through libtorch.
        using var x = torch.tensor(new float[] { 1, 2, 3 }, requires_grad: true);
        using var y = (x * x).sum();
        y.backward();
        x.grad!.data<float>().ToArray().Should().Equal(2f, 4f, 6f);
    }
}
