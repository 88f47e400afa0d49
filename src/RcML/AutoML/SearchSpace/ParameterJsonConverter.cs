using System.Text.Json;
using System.Text.Json.Serialization;

namespace RcML.AutoML;

/// <summary>JSON converter for <see cref="Parameter"/>: a flat object of name to primitive value.</summary>
public sealed class ParameterJsonConverter : JsonConverter<Parameter>
{
    /// <inheritdoc/>
    public override Parameter Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var doc = JsonDocument.ParseValue(ref reader);
        var d = new Dictionary<string, object>();
        foreach (var p in doc.RootElement.EnumerateObject()) d[p.Name] = Parameter.ReadValue(p.Value);
        return new Parameter(d);
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, Parameter value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (k, v) in value) { writer.WritePropertyName(k); Parameter.WriteValue(writer, v); }
        writer.WriteEndObject();
    }
}
