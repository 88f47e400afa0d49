using Microsoft.ML;
using Microsoft.ML.Data;

namespace RcML.Committor;

/// <summary>Shooting data as dense arrays: raw features row-major [Rows, Columns] and the two shot counts.</summary>
public sealed record ShootingMatrix(float[] Features, int Rows, int Columns, float[] CountA, float[] CountB)
{
    /// <summary>The selected rows, in the given order.</summary>
    public ShootingMatrix Subset(IReadOnlyList<int> rows)
    {
        var features = new float[rows.Count * Columns];
        var a = new float[rows.Count];
        var b = new float[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            Array.Copy(Features, rows[i] * Columns, features, i * Columns, Columns);
            a[i] = CountA[rows[i]];
            b[i] = CountB[rows[i]];
        }
        return new ShootingMatrix(features, rows.Count, Columns, a, b);
    }

    /// <summary>One row's raw features.</summary>
    public ReadOnlySpan<float> Row(int row) => Features.AsSpan(row * Columns, Columns);

    /// <summary>Reads a vector (or scalar) Single feature column and two Single count columns from a data view.</summary>
    public static ShootingMatrix FromDataView(IDataView data, string featureColumn, string countAColumn, string countBColumn)
    {
        var schema = data.Schema;
        var feature = RequireColumn(schema, featureColumn, "feature");
        var columnA = RequireColumn(schema, countAColumn, "shot count (A)");
        var columnB = RequireColumn(schema, countBColumn, "shot count (B)");
        int width = feature.Type switch
        {
            VectorDataViewType { ItemType: NumberDataViewType n, Size: > 0 } v when n.RawType == typeof(float) => v.Size,
            NumberDataViewType n when n.RawType == typeof(float) => 1,
            _ => throw new ArgumentException(
                $"Column '{featureColumn}' must be a known-size vector of Single (use Concatenate), but is {feature.Type}."),
        };
        foreach (var c in new[] { columnA, columnB })
            if (c.Type is not NumberDataViewType { RawType: var t } || t != typeof(float))
                throw new ArgumentException($"Column '{c.Name}' must be Single, but is {c.Type}.");

        var features = new List<float>();
        var a = new List<float>();
        var b = new List<float>();
        using var cursor = data.GetRowCursor(new[] { feature, columnA, columnB });
        var getA = cursor.GetGetter<float>(columnA);
        var getB = cursor.GetGetter<float>(columnB);
        ValueGetter<VBuffer<float>>? getVector = width > 1 || feature.Type is VectorDataViewType ? cursor.GetGetter<VBuffer<float>>(feature) : null;
        ValueGetter<float>? getScalar = getVector is null ? cursor.GetGetter<float>(feature) : null;
        VBuffer<float> vector = default;
        float scalar = 0, va = 0, vb = 0;
        while (cursor.MoveNext())
        {
            if (getVector is not null)
            {
                getVector(ref vector);
                foreach (var x in vector.DenseValues()) features.Add(x);
            }
            else
            {
                getScalar!(ref scalar);
                features.Add(scalar);
            }
            getA(ref va);
            getB(ref vb);
            a.Add(va);
            b.Add(vb);
        }
        var matrix = new ShootingMatrix(features.ToArray(), a.Count, width, a.ToArray(), b.ToArray());
        matrix.Validate(featureColumn);
        return matrix;
    }

    /// <summary>Throws if a value is not finite, a count negative, or a row has no shots.</summary>
    public void Validate(string source)
    {
        if (Rows == 0) throw new ArgumentException($"{source}: no rows to train on.");
        for (int r = 0; r < Rows; r++)
        {
            var row = Row(r);
            for (int c = 0; c < Columns; c++)
                if (!float.IsFinite(row[c]))
                    throw new ArgumentException($"{source}: row {r + 1}, feature {c + 1} is {row[c]}; features must be finite.");
            if (!(CountA[r] >= 0) || !(CountB[r] >= 0) || !float.IsFinite(CountA[r] + CountB[r]))
                throw new ArgumentException($"{source}: row {r + 1} has shot counts ({CountA[r]}, {CountB[r]}); counts must be finite and non-negative.");
            if (CountA[r] + CountB[r] <= 0)
                throw new ArgumentException($"{source}: row {r + 1} has no shots (both counts 0).");
        }
    }

    private static DataViewSchema.Column RequireColumn(DataViewSchema schema, string name, string role) =>
        schema.GetColumnOrNull(name) ?? throw new ArgumentException(
            $"The {role} column '{name}' is not in the data; columns are: {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => c.Name))}.");
}
