using System.Text;
using System.Text.RegularExpressions;
using FluentAssertions;
using Xunit;

namespace RcML.Tests.Packaging;

/// <summary>Each public type of the library, CLI, samples and bench sits in its own file (nested types excepted).</summary>
public class SourceLayoutTests
{
    private static readonly Regex PublicType = new(
        @"^\s*(?:\[[^\]]*\]\s*)*public\s+(?:(?:static|sealed|abstract|partial|readonly|unsafe|ref|new)\s+)*" +
        @"(?:class|struct|interface|enum|record(?:\s+(?:class|struct))?|delegate\s+[\w<>\[\],.? ]+?)\s+(\w+)");

    [Fact]
    public void No_file_declares_more_than_one_top_level_public_type()
    {
        var crowded = new List<string>();
        foreach (var folder in new[] { "src", "samples", "bench" })
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Programs.RepositoryRoot, folder), "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(Programs.RepositoryRoot, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj")) continue;
            var types = TopLevelPublicTypes(File.ReadAllText(file));
            if (types.Count > 1) crowded.Add($"{relative}: {string.Join(", ", types)}");
        }
        crowded.Should().BeEmpty("each public type has its own file");
    }

    [Fact]
    public void The_scan_sees_top_level_types_and_not_nested_ones_or_types_in_strings()
    {
        TopLevelPublicTypes("""
            namespace A;
            /// <summary>public class InComment</summary>
            public sealed record R(int X) { public enum Nested { A } }
            public readonly record struct S(double Y);
            internal class Hidden { }
            public delegate void Handler(int x);
            public static class C { const string Code = "public class InString { }"; }
            """).Should().Equal("R", "S", "Handler", "C");
        TopLevelPublicTypes("namespace A\n{\n    public interface I { }\n    public class K { public class Inner { } }\n}\n").Should().Equal("I", "K");
    }

    /// <summary>Names of public types declared at namespace level: comments and string contents blanked, then brace depth counted.</summary>
    internal static List<string> TopLevelPublicTypes(string source)
    {
        var code = CodeOnly(source);
        // Types sit at depth 1 inside a block-scoped namespace, at depth 0 with a file-scoped one or none.
        int topDepth = Regex.IsMatch(code, @"^\s*namespace\s+[\w.]+\s*\{?\s*$", RegexOptions.Multiline) ? 1 : 0;
        var names = new List<string>();
        int depth = 0;
        foreach (var line in code.Split('\n'))
        {
            if (depth == topDepth && PublicType.Match(line) is { Success: true } m) names.Add(m.Groups[1].Value);
            depth += line.Count(c => c == '{') - line.Count(c => c == '}');
        }
        return names;
    }

    /// <summary>The source with comments, string and char literals replaced by spaces (line breaks kept).</summary>
    private static string CodeOnly(string s)
    {
        var code = new StringBuilder(s.Length);
        int i = 0;
        void Blank(int end) { for (; i < end && i < s.Length; i++) code.Append(s[i] == '\n' ? '\n' : ' '); }
        while (i < s.Length)
        {
            if (s[i] == '/' && i + 1 < s.Length && s[i + 1] == '/') Blank(s.IndexOf('\n', i) is var n && n < 0 ? s.Length : n);
            else if (s[i] == '/' && i + 1 < s.Length && s[i + 1] == '*') Blank(s.IndexOf("*/", i + 2, StringComparison.Ordinal) is var n && n < 0 ? s.Length : n + 2);
            else if (s[i] == '"' && s.AsSpan(i).StartsWith("\"\"\""))
            {
                int quotes = 0;
                while (i + quotes < s.Length && s[i + quotes] == '"') quotes++;
                var close = s.IndexOf(new string('"', quotes), i + quotes, StringComparison.Ordinal);
                Blank(close < 0 ? s.Length : close + quotes);
            }
            else if (s[i] == '"' && i > 0 && (s[i - 1] == '@' || (s[i - 1] == '$' && i > 1 && s[i - 2] == '@')))
            {
                int j = i + 1;
                while (j < s.Length && !(s[j] == '"' && (j + 1 >= s.Length || s[j + 1] != '"'))) j += s[j] == '"' ? 2 : 1;
                Blank(j + 1);
            }
            else if (s[i] is '"' or '\'')
            {
                char quote = s[i];
                int j = i + 1;
                while (j < s.Length && s[j] != quote && s[j] != '\n') j += s[j] == '\\' ? 2 : 1;
                Blank(j + 1);
            }
            else code.Append(s[i++]);
        }
        return code.ToString();
    }
}
