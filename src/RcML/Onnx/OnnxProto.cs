using System.Runtime.InteropServices;

namespace RcML.Onnx;

// The subset of onnx.proto (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto) that RcML writes and reads.
// Field numbers are those of onnx.proto; fields we do not model are skipped when reading.

/// <summary>ONNX tensor element types used here (TensorProto.DataType).</summary>
internal enum OnnxElementType
{
    Float = 1,
    Int64 = 7,
}

/// <summary>One axis of a value's shape: a fixed size or a symbolic name such as "N".</summary>
internal readonly record struct OnnxDimension(long? Value, string? Parameter)
{
    public static OnnxDimension Fixed(long value) => new(value, null);
    public static OnnxDimension Symbolic(string name) => new(null, name);
}

/// <summary>ValueInfoProto with a tensor TypeProto: a graph input or output.</summary>
internal sealed record OnnxValueInfo(string Name, OnnxElementType ElementType, IReadOnlyList<OnnxDimension> Shape);

/// <summary>TensorProto holding float or int64 data (written as raw_data, little-endian).</summary>
internal sealed record OnnxTensor(string Name, long[] Dims, OnnxElementType ElementType, float[]? Floats, long[]? Int64s)
{
    public static OnnxTensor FromFloats(string name, long[] dims, float[] values) => new(name, dims, OnnxElementType.Float, values, null);
    public static OnnxTensor FromInt64s(string name, long[] dims, long[] values) => new(name, dims, OnnxElementType.Int64, null, values);
}

/// <summary>AttributeProto restricted to FLOAT, INT and INTS.</summary>
internal sealed record OnnxAttribute(string Name, float? Float = null, long? Int = null, long[]? Ints = null);

/// <summary>NodeProto: one operator application.</summary>
internal sealed record OnnxNode(string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, string Name,
    IReadOnlyList<OnnxAttribute> Attributes);

/// <summary>GraphProto.</summary>
internal sealed class OnnxGraph
{
    public string Name { get; set; } = "";
    public List<OnnxNode> Nodes { get; } = [];
    public List<OnnxTensor> Initializers { get; } = [];
    public List<OnnxValueInfo> Inputs { get; } = [];
    public List<OnnxValueInfo> Outputs { get; } = [];
}

/// <summary>ModelProto with the graph, opset imports and metadata.</summary>
internal sealed class OnnxModel
{
    /// <summary>IR version 8 is the one that goes with opset 17.</summary>
    public const long DefaultIrVersion = 8;
    public const long DefaultOpset = 17;

    public long IrVersion { get; set; } = DefaultIrVersion;
    public string ProducerName { get; set; } = "";
    public string ProducerVersion { get; set; } = "";
    /// <summary>(domain, version); "" is the default ONNX domain.</summary>
    public List<(string Domain, long Version)> OpsetImports { get; } = [];
    public List<KeyValuePair<string, string>> Metadata { get; } = [];
    public OnnxGraph Graph { get; set; } = new();

    public string? GetMetadata(string key) => Metadata.LastOrDefault(p => p.Key == key).Value;

    public byte[] ToBytes()
    {
        var w = new ProtoWriter();
        w.WriteInt64(1, IrVersion);
        if (ProducerName.Length > 0) w.WriteString(2, ProducerName);
        if (ProducerVersion.Length > 0) w.WriteString(3, ProducerVersion);
        w.WriteMessage(7, gw => WriteGraph(gw, Graph));
        foreach (var (domain, version) in OpsetImports)
            w.WriteMessage(8, ow => { if (domain.Length > 0) ow.WriteString(1, domain); ow.WriteInt64(2, version); });
        foreach (var (key, value) in Metadata)
            w.WriteMessage(14, mw => { mw.WriteString(1, key); mw.WriteString(2, value); });
        return w.ToArray();
    }

    public static OnnxModel Parse(ReadOnlyMemory<byte> bytes)
    {
        var model = new OnnxModel { IrVersion = 0 };
        var r = new ProtoReader(bytes);
        while (r.Next())
        {
            switch (r.Field)
            {
                case 1: model.IrVersion = r.ReadInt64(); break;
                case 2: model.ProducerName = r.ReadString(); break;
                case 3: model.ProducerVersion = r.ReadString(); break;
                case 7: model.Graph = ReadGraph(r.ReadMessage()); break;
                case 8:
                {
                    var o = r.ReadMessage();
                    string domain = ""; long version = 0;
                    while (o.Next())
                    {
                        if (o.Field == 1) domain = o.ReadString();
                        else if (o.Field == 2) version = o.ReadInt64();
                        else o.Skip();
                    }
                    model.OpsetImports.Add((domain, version));
                    break;
                }
                case 14:
                {
                    var m = r.ReadMessage();
                    string key = "", value = "";
                    while (m.Next())
                    {
                        if (m.Field == 1) key = m.ReadString();
                        else if (m.Field == 2) value = m.ReadString();
                        else m.Skip();
                    }
                    model.Metadata.Add(new(key, value));
                    break;
                }
                default: r.Skip(); break;
            }
        }
        return model;
    }

    private static void WriteGraph(ProtoWriter w, OnnxGraph g)
    {
        foreach (var node in g.Nodes) w.WriteMessage(1, nw => WriteNode(nw, node));
        w.WriteString(2, g.Name);
        foreach (var t in g.Initializers) w.WriteMessage(5, tw => WriteTensor(tw, t));
        foreach (var v in g.Inputs) w.WriteMessage(11, vw => WriteValueInfo(vw, v));
        foreach (var v in g.Outputs) w.WriteMessage(12, vw => WriteValueInfo(vw, v));
    }

    private static OnnxGraph ReadGraph(ProtoReader r)
    {
        var g = new OnnxGraph();
        while (r.Next())
        {
            switch (r.Field)
            {
                case 1: g.Nodes.Add(ReadNode(r.ReadMessage())); break;
                case 2: g.Name = r.ReadString(); break;
                case 5: g.Initializers.Add(ReadTensor(r.ReadMessage())); break;
                case 11: g.Inputs.Add(ReadValueInfo(r.ReadMessage())); break;
                case 12: g.Outputs.Add(ReadValueInfo(r.ReadMessage())); break;
                default: r.Skip(); break;
            }
        }
        return g;
    }

    private static void WriteNode(ProtoWriter w, OnnxNode n)
    {
        foreach (var i in n.Inputs) w.WriteString(1, i);
        foreach (var o in n.Outputs) w.WriteString(2, o);
        if (n.Name.Length > 0) w.WriteString(3, n.Name);
        w.WriteString(4, n.OpType);
        foreach (var a in n.Attributes) w.WriteMessage(5, aw => WriteAttribute(aw, a));
    }

    private static OnnxNode ReadNode(ProtoReader r)
    {
        var inputs = new List<string>();
        var outputs = new List<string>();
        var attributes = new List<OnnxAttribute>();
        string name = "", opType = "";
        while (r.Next())
        {
            switch (r.Field)
            {
                case 1: inputs.Add(r.ReadString()); break;
                case 2: outputs.Add(r.ReadString()); break;
                case 3: name = r.ReadString(); break;
                case 4: opType = r.ReadString(); break;
                case 5: attributes.Add(ReadAttribute(r.ReadMessage())); break;
                default: r.Skip(); break;
            }
        }
        return new OnnxNode(opType, inputs, outputs, name, attributes);
    }

    // AttributeProto.AttributeType values.
    private const long AttributeFloat = 1, AttributeInt = 2, AttributeInts = 7;

    private static void WriteAttribute(ProtoWriter w, OnnxAttribute a)
    {
        w.WriteString(1, a.Name);
        if (a.Float is { } f) { w.WriteFloat(2, f); w.WriteInt64(20, AttributeFloat); }
        else if (a.Int is { } i) { w.WriteInt64(3, i); w.WriteInt64(20, AttributeInt); }
        else if (a.Ints is { } ints) { foreach (var v in ints) w.WriteInt64(8, v); w.WriteInt64(20, AttributeInts); }
        else throw new InvalidOperationException($"Attribute '{a.Name}' has no value.");
    }

    private static OnnxAttribute ReadAttribute(ProtoReader r)
    {
        string name = "";
        float? f = null; long? i = null; List<long>? ints = null;
        while (r.Next())
        {
            switch (r.Field)
            {
                case 1: name = r.ReadString(); break;
                case 2: f = r.ReadFloat(); break;
                case 3: i = r.ReadInt64(); break;
                case 8: r.ReadInt64s(ints ??= []); break;
                default: r.Skip(); break;
            }
        }
        return new OnnxAttribute(name, f, i, ints?.ToArray());
    }

    private static void WriteTensor(ProtoWriter w, OnnxTensor t)
    {
        foreach (var d in t.Dims) w.WriteInt64(1, d);
        w.WriteInt64(2, (long)t.ElementType);
        w.WriteString(8, t.Name);
        ReadOnlySpan<byte> raw = t.ElementType == OnnxElementType.Float
            ? MemoryMarshal.AsBytes(t.Floats.AsSpan())
            : MemoryMarshal.AsBytes(t.Int64s.AsSpan());
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("ONNX raw_data is little-endian.");
        w.WriteBytes(9, raw);
    }

    private static OnnxTensor ReadTensor(ProtoReader r)
    {
        var dims = new List<long>();
        var floatData = new List<float>();
        var int64Data = new List<long>();
        var type = OnnxElementType.Float;
        string name = "";
        ReadOnlyMemory<byte>? raw = null;
        while (r.Next())
        {
            switch (r.Field)
            {
                case 1: r.ReadInt64s(dims); break;
                case 2: type = (OnnxElementType)r.ReadInt64(); break;
                case 4: r.ReadFloats(floatData); break;
                case 7: r.ReadInt64s(int64Data); break;
                case 8: name = r.ReadString(); break;
                case 9: raw = r.ReadBytes(); break;
                default: r.Skip(); break;
            }
        }
        return type switch
        {
            OnnxElementType.Float => OnnxTensor.FromFloats(name, dims.ToArray(),
                raw is { } rf ? MemoryMarshal.Cast<byte, float>(rf.Span).ToArray() : floatData.ToArray()),
            OnnxElementType.Int64 => OnnxTensor.FromInt64s(name, dims.ToArray(),
                raw is { } ri ? MemoryMarshal.Cast<byte, long>(ri.Span).ToArray() : int64Data.ToArray()),
            _ => throw new NotSupportedException($"Tensor '{name}' has unsupported element type {(int)type}."),
        };
    }

    private static void WriteValueInfo(ProtoWriter w, OnnxValueInfo v)
    {
        w.WriteString(1, v.Name);
        w.WriteMessage(2, typeWriter => typeWriter.WriteMessage(1, tensorType =>
        {
            tensorType.WriteInt64(1, (long)v.ElementType);
            tensorType.WriteMessage(2, shape =>
            {
                foreach (var d in v.Shape)
                    shape.WriteMessage(1, dim =>
                    {
                        if (d.Value is { } value) dim.WriteInt64(1, value);
                        else dim.WriteString(2, d.Parameter ?? "");
                    });
            });
        }));
    }

    private static OnnxValueInfo ReadValueInfo(ProtoReader r)
    {
        string name = "";
        var elementType = OnnxElementType.Float;
        var shape = new List<OnnxDimension>();
        while (r.Next())
        {
            if (r.Field == 1) { name = r.ReadString(); continue; }
            if (r.Field != 2) { r.Skip(); continue; }
            var type = r.ReadMessage();
            while (type.Next())
            {
                if (type.Field != 1) { type.Skip(); continue; }
                var tensorType = type.ReadMessage();
                while (tensorType.Next())
                {
                    if (tensorType.Field == 1) elementType = (OnnxElementType)tensorType.ReadInt64();
                    else if (tensorType.Field == 2)
                    {
                        var shapeReader = tensorType.ReadMessage();
                        while (shapeReader.Next())
                        {
                            if (shapeReader.Field != 1) { shapeReader.Skip(); continue; }
                            var dim = shapeReader.ReadMessage();
                            var d = new OnnxDimension(null, null);
                            while (dim.Next())
                            {
                                if (dim.Field == 1) d = OnnxDimension.Fixed(dim.ReadInt64());
                                else if (dim.Field == 2) d = OnnxDimension.Symbolic(dim.ReadString());
                                else dim.Skip();
                            }
                            shape.Add(d);
                        }
                    }
                    else tensorType.Skip();
                }
            }
        }
        return new OnnxValueInfo(name, elementType, shape);
    }
}
