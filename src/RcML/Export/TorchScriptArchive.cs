using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;

namespace RcML.Export;

/// <summary>
/// Writes a TorchScript module file (what <c>torch.jit.save</c> writes and <c>torch.jit.load</c> reads) for one module
/// class whose attributes are float32 and int64 tensors and string lists and whose methods are TorchScript source:
/// a zip of <c>code/__torch__/…py</c> (the class), <c>data.pkl</c> (the module object, pickled, tensors as persistent
/// ids of storages), <c>data/k</c> (each storage's raw little-endian bytes), <c>constants.pkl</c> and <c>.data/version</c>.
/// </summary>
/// <remarks>
/// The layout and pickle follow PyTorch's torch/csrc/jit/docs/serialization.md as libtorch 1.13 writes it. The file
/// format version is the one libtorch 1.13 writes (10): every later libtorch reads it, and no operator upgrader applies.
/// </remarks>
internal sealed class TorchScriptArchive
{
    private const string Root = "rcml";
    private const string FileFormatVersion = "10";

    private readonly string _module, _className;
    private readonly List<(string Name, string Type, Action<PickleWriter> Write)> _attributes = new();
    private readonly List<byte[]> _storages = new();

    /// <param name="module">Python module of the class under <c>__torch__</c> (e.g. "rcml": the class is __torch__.rcml.Name).</param>
    /// <param name="className">The module class.</param>
    public TorchScriptArchive(string module, string className)
    {
        _module = module;
        _className = className;
    }

    /// <summary>The qualified name the source uses for the class (e.g. in <c>self</c>'s annotation).</summary>
    public string QualifiedName => $"__torch__.{_module}.{_className}";

    /// <summary>A float32 tensor attribute of shape <paramref name="shape"/> (row-major <paramref name="values"/>).</summary>
    public void AddTensor(string name, float[] values, params int[] shape) =>
        AddTensor(name, "FloatStorage", MemoryMarshal.AsBytes(values.AsSpan()).ToArray(), values.Length, shape);

    /// <summary>An int64 tensor attribute of shape [values.Length] (e.g. column indices).</summary>
    public void AddTensor(string name, long[] values) =>
        AddTensor(name, "LongStorage", MemoryMarshal.AsBytes(values.AsSpan()).ToArray(), values.Length, values.Length);

    /// <summary>A List[str] attribute.</summary>
    public void AddStrings(string name, IReadOnlyList<string> values) => _attributes.Add((name, "List[str]", p =>
    {
        p.Global("torch.jit._pickle", "restore_type_tag");
        p.EmptyList();
        if (values.Count > 0)
        {
            p.Mark();
            foreach (var value in values) p.String(value);
            p.Appends();
        }
        p.String("List[str]");
        p.Op(0x86); // TUPLE2
        p.Reduce();
    }));

    /// <summary>The archive bytes, with <paramref name="methods"/> (TorchScript source, indented by 2) as the class body.</summary>
    public byte[] ToBytes(string methods)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Storages are written in the machine's byte order, which must be little-endian.");
        var source = new StringBuilder();
        source.Append($"class {_className}(Module):\n  __parameters__ = []\n  __buffers__ = []\n  training : bool\n");
        foreach (var (name, type, _) in _attributes) source.Append($"  {name} : {type}\n");
        source.Append(methods);

        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            Entry(zip, "data.pkl", DataPickle());
            Entry(zip, $"code/__torch__/{_module.Replace('.', '/')}.py", Encoding.UTF8.GetBytes(source.ToString()));
            Entry(zip, "constants.pkl", [0x80, 2, (byte)')', (byte)'.']); // an empty tuple
            for (int k = 0; k < _storages.Count; k++) Entry(zip, $"data/{k}", _storages[k]);
            Entry(zip, ".data/version", Encoding.ASCII.GetBytes(FileFormatVersion + "\n"));
        }
        return buffer.ToArray();
    }

    private void AddTensor(string name, string storageType, byte[] bytes, int count, params int[] shape)
    {
        if (shape.Aggregate(1L, (a, b) => a * b) != count)
            throw new ArgumentException($"Tensor '{name}' has {count} values for shape [{string.Join(", ", shape)}].");
        string key = _storages.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _storages.Add(bytes);
        _attributes.Add((name, "Tensor", p =>
        {
            // torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, backward_hooks)
            p.Global("torch._utils", "_rebuild_tensor_v2");
            p.Mark();
            p.Mark();
            p.String("storage");
            p.Global("torch", storageType);
            p.String(key);
            p.String("cpu");
            p.Int(count);
            p.Tuple();
            p.PersistentId();
            p.Int(0);
            Ints(p, shape);
            var stride = new int[shape.Length];
            for (int i = shape.Length - 1, s = 1; i >= 0; s *= shape[i], i--) stride[i] = s;
            Ints(p, stride);
            p.Bool(false);
            p.Global("collections", "OrderedDict");
            p.EmptyTuple();
            p.Reduce();
            p.Tuple();
            p.Reduce();
        }));
    }

    private static void Ints(PickleWriter p, int[] values)
    {
        p.Mark();
        foreach (var v in values) p.Int(v);
        p.Tuple();
    }

    /// <summary>The module object: __torch__.module.Class() with its attributes set by BUILD from a dict.</summary>
    private byte[] DataPickle()
    {
        var p = new PickleWriter();
        p.Global($"__torch__.{_module}", _className);
        p.EmptyTuple();
        p.NewObject();
        p.EmptyDict();
        p.Mark();
        p.String("training");
        p.Bool(false);
        foreach (var (name, _, write) in _attributes)
        {
            p.String(name);
            write(p);
        }
        p.SetItems();
        p.Build();
        return p.Finish();
    }

    private static void Entry(ZipArchive zip, string name, byte[] bytes)
    {
        var entry = zip.CreateEntry($"{Root}/{name}", CompressionLevel.NoCompression);
        entry.LastWriteTime = new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var stream = entry.Open();
        stream.Write(bytes);
    }
}
