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
    // A fresh native Scalar at each use: the step's dispose scope frees it. A static cached Scalar would be created
    // inside the first step's dispose scope, freed with it, and read after that from freed memory.
    public static Scalar One => 1.0;
    public static Scalar Two => 2.0;
    public static Scalar MinusOne => -1.0;
}
