namespace RcML.Committor;

/// <summary>The raw-CV to network-input step: periodic CVs become (sin, cos) pairs, linear ones pass through.</summary>
public static class InputExpansion
{
    /// <summary>Width of the expanded input.</summary>
    public static int ExpandedWidth(IReadOnlyList<NetworkInput> inputs) => inputs.Sum(Columns);

    /// <summary>The expanded columns one input becomes: 1 for a linear CV, 2 (sin, cos) for a periodic one.</summary>
    public static int Columns(NetworkInput input) => input.Kind == InputKind.Linear ? 1 : 2;

    /// <summary>The factor that turns an input of this kind into radians (1 for linear inputs).</summary>
    public static double ToRadians(InputKind kind) => kind == InputKind.PeriodicDegrees ? Math.PI / 180 : 1.0;

    /// <summary>Expands one raw row into <paramref name="expanded"/> (length <see cref="ExpandedWidth"/>).</summary>
    public static void Expand(IReadOnlyList<NetworkInput> inputs, ReadOnlySpan<float> raw, Span<float> expanded) =>
        Expand<float>(inputs, raw, expanded);

    /// <summary>Expands one raw row in double precision (the C# evaluator's path).</summary>
    public static void Expand(IReadOnlyList<NetworkInput> inputs, ReadOnlySpan<double> raw, Span<double> expanded) =>
        Expand<double>(inputs, raw, expanded);

    // sin/cos are taken in double for either precision, so training data and the evaluator expand alike.
    private static void Expand<T>(IReadOnlyList<NetworkInput> inputs, ReadOnlySpan<T> raw, Span<T> expanded)
        where T : System.Numerics.IFloatingPoint<T>
    {
        int k = 0;
        for (int i = 0; i < inputs.Count; i++)
        {
            if (inputs[i].Kind == InputKind.Linear) { expanded[k++] = raw[i]; continue; }
            double angle = double.CreateChecked(raw[i]) * ToRadians(inputs[i].Kind);
            expanded[k++] = T.CreateChecked(Math.Sin(angle));
            expanded[k++] = T.CreateChecked(Math.Cos(angle));
        }
    }

    /// <summary>Expands every row of a matrix: row-major [rows, ExpandedWidth].</summary>
    public static float[] ExpandAll(IReadOnlyList<NetworkInput> inputs, ShootingMatrix data)
    {
        int width = ExpandedWidth(inputs);
        var result = new float[data.Rows * width];
        for (int r = 0; r < data.Rows; r++)
            Expand(inputs, data.Row(r), result.AsSpan(r * width, width));
        return result;
    }
}
