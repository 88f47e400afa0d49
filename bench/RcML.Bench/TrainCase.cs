namespace RcML.Bench;

/// <summary>One training-throughput case, run identically by RcML and the PyTorch peer.</summary>
public sealed record TrainCase(string Name, int Inputs, int[] Widths, int Rows, int Batch, int Epochs, double ValidationFraction = 0)
{
    /// <summary>sum(in*out) over the dense layers.</summary>
    public long SumInOut
    {
        get
        {
            long s = 0; int fanIn = Inputs;
            foreach (var w in Widths) { s += (long)fanIn * w; fanIn = w; }
            return s + fanIn;
        }
    }

    /// <summary>Forward+backward FLOPs of one epoch over the training rows: 3 x 2 x rows x sum(in*out).</summary>
    public double FlopsPerEpoch => 6.0 * TrainRows * SumInOut;
    public int TrainRows => Rows - (int)Math.Round(Rows * ValidationFraction);
}
