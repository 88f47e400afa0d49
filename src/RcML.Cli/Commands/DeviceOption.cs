using System.CommandLine;
using RcML.Native;

namespace RcML.Cli.Commands;

/// <summary>The <c>--device</c> option of the commands that train, and its check that the build can use it.</summary>
internal static class DeviceOption
{
    public static Option<string> Create() =>
        Choices.Of("--device", "cpu, or cuda with a CUDA build (-p:TorchBackend=cuda-linux).", "cpu", ["cpu", "cuda"]);

    /// <summary>Refuses cuda when this build's libtorch has no CUDA device.</summary>
    public static void Check(string device)
    {
        if (device != "cuda") return;
        TorchRuntime.EnsureLoaded();
        if (!TorchSharp.torch.cuda.is_available())
            throw new ArgumentException("--device cuda: this build has no CUDA device (it uses libtorch for CPU); use --device cpu, or build with -p:TorchBackend=cuda-linux on a machine with an NVIDIA GPU.");
    }
}
