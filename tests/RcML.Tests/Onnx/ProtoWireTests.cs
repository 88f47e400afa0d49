using FluentAssertions;
using RcML.Onnx;
using Xunit;

namespace RcML.Tests.Onnx;

public class ProtoWireTests
{
    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(127L)]
    [InlineData(128L)]
    [InlineData(300L)]
    [InlineData(-1L)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public void Int64_round_trips(long value)
    {
        var w = new ProtoWriter();
        w.WriteInt64(3, value);
        var r = new ProtoReader(w.ToArray());
        r.Next().Should().BeTrue();
        r.Field.Should().Be(3);
        r.WireType.Should().Be(WireType.Varint);
        r.ReadInt64().Should().Be(value);
        r.Next().Should().BeFalse();
    }

    [Fact]
    public void Varint_matches_the_protobuf_encoding_of_300()
    {
        var w = new ProtoWriter();
        w.WriteVarint(300);
        w.ToArray().Should().Equal(0xAC, 0x02);
    }

    [Fact]
    public void Reader_reads_what_the_writer_wrote()
    {
        var model = new OnnxModel { ProducerName = "test", ProducerVersion = "1.2" };
        model.OpsetImports.Add(("", 17));
        model.OpsetImports.Add(("ai.onnx.ml", 3));
        model.Metadata.Add(new("key", "välue"));
        model.Graph.Name = "g";
        model.Graph.Inputs.Add(new OnnxValueInfo("x", OnnxElementType.Float, [OnnxDimension.Symbolic("N"), OnnxDimension.Fixed(3)]));
        model.Graph.Outputs.Add(new OnnxValueInfo("y", OnnxElementType.Float, [OnnxDimension.Symbolic("N"), OnnxDimension.Fixed(1)]));
        model.Graph.Initializers.Add(OnnxTensor.FromFloats("w", [1, 3], [1.5f, -2f, float.Epsilon]));
        model.Graph.Initializers.Add(OnnxTensor.FromInt64s("i", [2], [-1, 1L << 40]));
        model.Graph.Nodes.Add(new OnnxNode("Gemm", ["x", "w"], ["y"], "n0",
            [new OnnxAttribute("transB", Int: 1), new OnnxAttribute("alpha", Float: 0.25f), new OnnxAttribute("perm", Ints: [1, -2])]));

        var back = OnnxModel.Parse(model.ToBytes());

        back.IrVersion.Should().Be(OnnxModel.DefaultIrVersion);
        back.ProducerName.Should().Be("test");
        back.ProducerVersion.Should().Be("1.2");
        back.OpsetImports.Should().Equal(("", 17L), ("ai.onnx.ml", 3L));
        back.GetMetadata("key").Should().Be("välue");
        back.Graph.Name.Should().Be("g");
        back.Graph.Inputs.Should().ContainSingle().Which.Should().BeEquivalentTo(model.Graph.Inputs[0]);
        back.Graph.Outputs.Should().ContainSingle().Which.Should().BeEquivalentTo(model.Graph.Outputs[0]);
        back.Graph.Initializers.Should().BeEquivalentTo(model.Graph.Initializers, o => o.WithStrictOrdering());
        back.Graph.Nodes.Should().BeEquivalentTo(model.Graph.Nodes, o => o.WithStrictOrdering());
        back.ToBytes().Should().Equal(model.ToBytes());
    }

    [Fact]
    public void Reader_skips_unknown_fields_and_accepts_packed_repeated_fields()
    {
        var w = new ProtoWriter();
        w.WriteString(99, "ignored");
        w.WriteFloat(98, 1f);
        var packed = new ProtoWriter();
        packed.WriteVarint(2);
        packed.WriteVarint(3);
        w.WriteBytes(1, packed.ToArray()); // dims, packed
        w.WriteInt64(2, (long)OnnxElementType.Int64);
        w.WriteString(8, "t");
        var tensorBytes = w.ToArray();

        var model = new ProtoWriter();
        model.WriteMessage(7, g => g.WriteBytes(5, tensorBytes));
        var tensor = OnnxModel.Parse(model.ToArray()).Graph.Initializers.Should().ContainSingle().Subject;
        tensor.Name.Should().Be("t");
        tensor.Dims.Should().Equal(2, 3);
        tensor.ElementType.Should().Be(OnnxElementType.Int64);
    }

    [Fact]
    public void Truncated_input_is_reported()
    {
        var w = new ProtoWriter();
        w.WriteString(1, "abcdef");
        var bytes = w.ToArray()[..^2];
        var act = () => OnnxModel.Parse(bytes);
        act.Should().Throw<InvalidDataException>();
    }
}
