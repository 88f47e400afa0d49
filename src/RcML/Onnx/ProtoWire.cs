using System.Buffers.Binary;
using System.Text;

namespace RcML.Onnx;

/// <summary>Protobuf wire types used by the ONNX subset we read and write.</summary>
internal enum WireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    Fixed32 = 5,
}

/// <summary>
/// Minimal protobuf encoder: varints, fixed32 floats and length-delimited fields.
/// Nested messages are written into a child writer and then copied with their length prefix.
/// </summary>
internal sealed class ProtoWriter
{
    private readonly MemoryStream _buffer = new();

    public byte[] ToArray() => _buffer.ToArray();

    public void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        _buffer.WriteByte((byte)value);
    }

    private void WriteTag(int field, WireType wireType) => WriteVarint((ulong)((field << 3) | (int)wireType));

    /// <summary>int32/int64/enum field; negative values take ten bytes, as protobuf requires.</summary>
    public void WriteInt64(int field, long value)
    {
        WriteTag(field, WireType.Varint);
        WriteVarint((ulong)value);
    }

    public void WriteFloat(int field, float value)
    {
        WriteTag(field, WireType.Fixed32);
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        _buffer.Write(bytes);
    }

    public void WriteBytes(int field, ReadOnlySpan<byte> value)
    {
        WriteTag(field, WireType.LengthDelimited);
        WriteVarint((ulong)value.Length);
        _buffer.Write(value);
    }

    public void WriteString(int field, string value) => WriteBytes(field, Encoding.UTF8.GetBytes(value));

    public void WriteMessage(int field, Action<ProtoWriter> writeBody)
    {
        var child = new ProtoWriter();
        writeBody(child);
        WriteBytes(field, child._buffer.GetBuffer().AsSpan(0, (int)child._buffer.Length));
    }
}

/// <summary>Minimal protobuf decoder: iterates the fields of one message; unknown fields are skipped by the caller.</summary>
internal sealed class ProtoReader
{
    private readonly ReadOnlyMemory<byte> _data;
    private int _position;

    public ProtoReader(ReadOnlyMemory<byte> data) => _data = data;

    public int Field { get; private set; }
    public WireType WireType { get; private set; }

    /// <summary>Moves to the next field; false at the end of the message.</summary>
    public bool Next()
    {
        if (_position >= _data.Length)
            return false;
        ulong tag = ReadVarint();
        Field = (int)(tag >> 3);
        WireType = (WireType)(tag & 7);
        if (Field == 0)
            throw new InvalidDataException("Invalid protobuf field number 0.");
        return true;
    }

    public ulong ReadVarint()
    {
        ulong result = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _data.Length)
                throw new InvalidDataException("Truncated protobuf varint.");
            byte b = _data.Span[_position++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
                return result;
        }
        throw new InvalidDataException("Malformed protobuf varint.");
    }

    public long ReadInt64() => (long)ReadVarint();

    public float ReadFloat()
    {
        var value = BinaryPrimitives.ReadSingleLittleEndian(Take(4).Span);
        return value;
    }

    public ReadOnlyMemory<byte> ReadBytes()
    {
        ulong length = ReadVarint();
        if (length > (ulong)(_data.Length - _position))
            throw new InvalidDataException("Truncated protobuf length-delimited field.");
        return Take((int)length);
    }

    public string ReadString() => Encoding.UTF8.GetString(ReadBytes().Span);

    public ProtoReader ReadMessage() => new(ReadBytes());

    /// <summary>Repeated int64: accepts both packed and unpacked encodings.</summary>
    public void ReadInt64s(List<long> into)
    {
        if (WireType == WireType.LengthDelimited)
        {
            var packed = ReadMessage();
            while (packed._position < packed._data.Length)
                into.Add(packed.ReadInt64());
        }
        else
        {
            into.Add(ReadInt64());
        }
    }

    /// <summary>Repeated float: accepts both packed and unpacked encodings.</summary>
    public void ReadFloats(List<float> into)
    {
        if (WireType == WireType.LengthDelimited)
        {
            var packed = ReadMessage();
            while (packed._position < packed._data.Length)
                into.Add(packed.ReadFloat());
        }
        else
        {
            into.Add(ReadFloat());
        }
    }

    public void Skip()
    {
        switch (WireType)
        {
            case WireType.Varint: ReadVarint(); break;
            case WireType.Fixed64: Take(8); break;
            case WireType.LengthDelimited: ReadBytes(); break;
            case WireType.Fixed32: Take(4); break;
            default: throw new InvalidDataException($"Unsupported protobuf wire type {(int)WireType}.");
        }
    }

    private ReadOnlyMemory<byte> Take(int count)
    {
        if (count > _data.Length - _position)
            throw new InvalidDataException("Truncated protobuf field.");
        var slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }
}
