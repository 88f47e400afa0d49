using Microsoft.ML;
using Microsoft.ML.Data;

namespace RcML.Data;

/// <summary>
/// An in-memory <see cref="IDataView"/> of named float columns, so data RcML has read and validated itself
/// (CSV, COLVAR joined with outcomes) enters ML.NET pipelines as ordinary scalar Single columns.
/// </summary>
public sealed class ColumnarDataView : IDataView
{
    private readonly float[][] _columns;
    private readonly int _rows;

    /// <summary>Builds the view; every column must have the same length.</summary>
    public ColumnarDataView(IReadOnlyList<(string Name, float[] Values)> columns)
    {
        var builder = new DataViewSchema.Builder();
        foreach (var (name, _) in columns) builder.AddColumn(name, NumberDataViewType.Single);
        Schema = builder.ToSchema();
        _columns = columns.Select(c => c.Values).ToArray();
        _rows = _columns.Length == 0 ? 0 : _columns[0].Length;
        if (_columns.Any(c => c.Length != _rows))
            throw new ArgumentException("All columns must have the same number of rows.", nameof(columns));
    }

    /// <inheritdoc/>
    public bool CanShuffle => false;

    /// <inheritdoc/>
    public DataViewSchema Schema { get; }

    /// <inheritdoc/>
    public long? GetRowCount() => _rows;

    /// <inheritdoc/>
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this);

    /// <inheritdoc/>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [new Cursor(this)];

    private sealed class Cursor(ColumnarDataView view) : DataViewRowCursor
    {
        private long _position = -1;

        public override DataViewSchema Schema => view.Schema;
        public override long Position => _position;
        public override long Batch => 0;

        public override bool MoveNext() => ++_position < view._rows;

        public override bool IsColumnActive(DataViewSchema.Column column) => true;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (typeof(TValue) != typeof(float))
                throw new InvalidOperationException($"Column '{column.Name}' is Single, not {typeof(TValue).Name}.");
            var values = view._columns[column.Index];
            ValueGetter<float> getter = (ref float value) => value = values[_position];
            return (ValueGetter<TValue>)(Delegate)getter;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);
    }
}
