using System.Text.Json;
using System.Text.Json.Nodes;

namespace RcML.AutoML;

internal static class OptionJson
{
    public static JsonNode Value(object v)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer)) Parameter.WriteValue(w, v);
        return JsonNode.Parse(buffer.WrittenSpan)!;
    }

    public static JsonArray Array(IEnumerable<object> values) => new(values.Select(v => (JsonNode?)Value(v)).ToArray());

    public static object ReadValue(JsonNode n)
    {
        using var doc = JsonDocument.Parse(n.ToJsonString());
        return Parameter.ReadValue(doc.RootElement);
    }

    public static object[] ReadArray(JsonArray a) => a.Select(n => ReadValue(n!)).ToArray();
}
