using TorchSharp;
using static TorchSharp.torch;

namespace RcML.Committor;

/// <summary>
/// An activation as the fused engine runs it: in place on the GEMM's output, and its derivative from the activation's
/// output alone (the pre-activation is not kept).
/// </summary>
/// <param name="PreScale">Factor the GEMM applies to z before <paramref name="ActivateScaledInPlace"/> (alpha and beta).</param>
/// <param name="ActivateScaledInPlace">Writes f(z) over PreScale * z.</param>
/// <param name="DerivativeInPlace">grad *= f'(z), given a = f(z) (a is overwritten).</param>
internal sealed record FusedActivation(float PreScale, Action<Tensor> ActivateScaledInPlace, Action<Tensor, Tensor> DerivativeInPlace)
{
    // Constants of every step, converted to Scalar once (each implicit conversion allocates a native Scalar); created on
    // first use, so naming an activation does not load libtorch.
    public static Scalar One => Constants.One;
    public static Scalar Two => Constants.Two;
    public static Scalar MinusOne => Constants.MinusOne;

    private static class Constants
    {
        public static readonly Scalar One = 1.0, Two = 2.0, MinusOne = -1.0;
    }
}
