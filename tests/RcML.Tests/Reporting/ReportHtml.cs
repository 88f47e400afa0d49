using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace RcML.Tests.Reporting;

/// <summary>Checks on report HTML shared by the tests.</summary>
internal static partial class ReportHtml
{
    /// <summary>Every inline SVG, parsed as XML (throws on malformed markup).</summary>
    public static IReadOnlyList<XDocument> ParseSvgs(string html) =>
        SvgElement().Matches(html).Select(m => XDocument.Parse(m.Value)).ToArray();

    /// <summary>Anything the browser would fetch or run: http(s) URLs, src/href to other documents, scripts, style imports.</summary>
    public static IReadOnlyList<string> ExternalReferences(string html)
    {
        var withoutNamespaces = html.Replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        var found = new List<string>();
        found.AddRange(Url().Matches(withoutNamespaces).Select(m => m.Value));
        found.AddRange(SrcOrHref().Matches(html).Select(m => m.Value).Where(v => !v.Contains("=\"#")));
        found.AddRange(ScriptOrLink().Matches(html).Select(m => m.Value));
        found.AddRange(CssFetch().Matches(html).Select(m => m.Value));
        return found;
    }

    [GeneratedRegex(@"<svg\b.*?</svg>", RegexOptions.Singleline)]
    private static partial Regex SvgElement();
    [GeneratedRegex(@"(https?:)?//[\w.-]+\.[a-z]{2,}[^\s""'<>]*", RegexOptions.IgnoreCase)]
    private static partial Regex Url();
    [GeneratedRegex(@"\b(src|href|xlink:href|srcset|action)\s*=\s*""[^""]*""", RegexOptions.IgnoreCase)]
    private static partial Regex SrcOrHref();
    [GeneratedRegex(@"<(script|link|iframe|object|embed|img)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptOrLink();
    [GeneratedRegex(@"@import|url\(", RegexOptions.IgnoreCase)]
    private static partial Regex CssFetch();
}
