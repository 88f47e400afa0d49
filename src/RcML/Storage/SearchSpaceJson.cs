using System.Text.Json;
using System.Text.Json.Nodes;

namespace RcML.Storage;

/// <summary>Compares stored search spaces by meaning, not by formatting (a joining worker may indent differently).</summary>
internal static class SearchSpaceJson
{
    public static bool SameSpace(string a, string b)
    {
        if (a == b) return true;
        try { return JsonNode.DeepEquals(JsonNode.Parse(a), JsonNode.Parse(b)); }
        catch (JsonException) { return false; }
    }

    /// <summary>The error for a study joined with another search space.</summary>
    public static StudyStorageException Mismatch(string study) => new(
        $"Study '{study}' exists with a different search space; use another study name or the same search space.");
}
