namespace RcML.Simulation;

/// <summary>A square sparse matrix in compressed sparse row form, columns sorted within each row.</summary>
internal sealed class SparseMatrix
{
    public SparseMatrix(int size, int[] rowStart, int[] columns, double[] values)
    {
        if (rowStart.Length != size + 1 || columns.Length != values.Length || rowStart[size] != values.Length)
            throw new ArgumentException("Inconsistent CSR arrays.");
        Size = size;
        RowStart = rowStart;
        Columns = columns;
        Values = values;
    }

    public int Size { get; }
    public int[] RowStart { get; }
    public int[] Columns { get; }
    public double[] Values { get; }

    /// <summary>y = A x.</summary>
    public void Multiply(ReadOnlySpan<double> x, Span<double> y)
    {
        for (int i = 0; i < Size; i++)
        {
            double sum = 0;
            for (int k = RowStart[i]; k < RowStart[i + 1]; k++)
                sum += Values[k] * x[Columns[k]];
            y[i] = sum;
        }
    }

    public double Diagonal(int row)
    {
        int k = Array.BinarySearch(Columns, RowStart[row], RowStart[row + 1] - RowStart[row], row);
        return k >= 0 ? Values[k] : 0.0;
    }
}

/// <summary>Accumulates a sparse matrix row by row (rows in order, any column order within a row).</summary>
internal sealed class SparseMatrixBuilder(int size, int expectedNonZeros)
{
    private readonly List<int> _rowStart = new(size + 1) { 0 };
    private readonly List<int> _columns = new(expectedNonZeros);
    private readonly List<double> _values = new(expectedNonZeros);
    private readonly List<(int Column, double Value)> _row = new(8);

    public void Add(int column, double value) => _row.Add((column, value));

    public void EndRow()
    {
        _row.Sort((a, b) => a.Column.CompareTo(b.Column));
        foreach (var (column, value) in _row)
        {
            _columns.Add(column);
            _values.Add(value);
        }
        _row.Clear();
        _rowStart.Add(_columns.Count);
    }

    public SparseMatrix Build()
    {
        if (_rowStart.Count != size + 1)
            throw new InvalidOperationException($"Built {_rowStart.Count - 1} rows, expected {size}.");
        return new SparseMatrix(size, _rowStart.ToArray(), _columns.ToArray(), _values.ToArray());
    }
}
