using System.Buffers.Binary;
using System.Text;

namespace RcML.Export;

/// <summary>
/// The few Python pickle (protocol 2) opcodes a TorchScript archive's data.pkl needs, written in the form
/// <c>torch.jit.save</c> writes them and libtorch's unpickler reads them (no memo: nothing is referenced twice).
/// </summary>
internal sealed class PickleWriter
{
    private readonly MemoryStream _bytes = new();

    public PickleWriter() => Op(0x80, 2); // PROTO 2

    public byte[] Finish()
    {
        Op((byte)'.'); // STOP
        return _bytes.ToArray();
    }

    public void Op(params byte[] codes) => _bytes.Write(codes);

    /// <summary>GLOBAL: pushes module.name.</summary>
    public void Global(string module, string name) => Ascii($"c{module}\n{name}\n");

    public void Mark() => Op((byte)'(');
    public void Tuple() => Op((byte)'t');     // TUPLE: the items since the last mark
    public void EmptyTuple() => Op((byte)')');
    public void EmptyDict() => Op((byte)'}');
    public void EmptyList() => Op((byte)']');
    public void SetItems() => Op((byte)'u');  // SETITEMS: key/value pairs since the last mark into the dict below
    public void Appends() => Op((byte)'e');   // APPENDS: items since the last mark into the list below
    public void NewObject() => Op(0x81);      // NEWOBJ: cls(*args)
    public void Build() => Op((byte)'b');     // BUILD: obj.__setstate__(state)
    public void Reduce() => Op((byte)'R');    // REDUCE: callable(*args)
    public void PersistentId() => Op((byte)'Q'); // BINPERSID
    public void Bool(bool value) => Op(value ? (byte)0x88 : (byte)0x89);

    public void Int(long value)
    {
        if (value is < int.MinValue or > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(value), "Only 32-bit integers are written.");
        Span<byte> buffer = stackalloc byte[5];
        buffer[0] = (byte)'J'; // BININT
        BinaryPrimitives.WriteInt32LittleEndian(buffer[1..], (int)value);
        _bytes.Write(buffer);
    }

    public void String(string value)
    {
        var utf8 = Encoding.UTF8.GetBytes(value);
        Span<byte> header = stackalloc byte[5];
        header[0] = (byte)'X'; // BINUNICODE
        BinaryPrimitives.WriteUInt32LittleEndian(header[1..], (uint)utf8.Length);
        _bytes.Write(header);
        _bytes.Write(utf8);
    }

    private void Ascii(string text) => _bytes.Write(Encoding.ASCII.GetBytes(text));
}
