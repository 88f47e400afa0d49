using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Text.RegularExpressions;
using FluentAssertions;
using RcML.Reporting;
using Xunit;

namespace RcML.Tests.Reporting;

/// <summary>
/// Opens reports in headless Chromium: the report must render (screenshot with real content) and show every section,
/// and a 100-CV study's report must keep its attribution charts readable.
/// </summary>
[Collection(ReportStudyCollection.Name)]
public partial class ReportRendersInChromiumTests(ReportStudyFixture study, WideReportStudyFixture wide) : IClassFixture<WideReportStudyFixture>
{
    private const string ChromiumPath = "/usr/bin/chromium";

    [Fact]
    public void The_report_renders_in_headless_chromium()
    {
        System.IO.File.Exists(ChromiumPath).Should().BeTrue($"{ChromiumPath} renders the report; install chromium (apt-get install -y chromium)");
        var url = new Uri(study.ReportPath).AbsoluteUri;

        var screenshot = study.File("report.png");
        Chromium(study.File, $"--screenshot={screenshot}", "--window-size=1200,3000", url);
        System.IO.File.Exists(screenshot).Should().BeTrue("chromium wrote a screenshot");
        ReportStudyFixture.SaveArtifact(screenshot);
        new FileInfo(screenshot).Length.Should().BeGreaterThan(20_000, "a rendered report is not a blank page");
        var (width, height, colors) = PngSummary(System.IO.File.ReadAllBytes(screenshot));
        (width, height).Should().Be((1200, 3000));
        colors.Should().BeGreaterThan(50, "charts and text give many colors, a blank or failed page few");

        var dom = Chromium(study.File, "--dump-dom", url);
        foreach (var (id, title) in StudyReport.Sections)
            dom.Should().Contain($"<section id=\"{id}\">").And.Contain($"<h2>{title}</h2>");
        dom.Split("<svg").Length.Should().Be(ReportHtml.ParseSvgs(study.Html).Count + 1, "every chart survives parsing by the browser");
    }

    [Fact]
    public void A_100_cv_report_shows_at_most_30_labels_per_axis_and_no_label_over_another()
    {
        var html = System.IO.File.ReadAllText(wide.ReportPath);
        var closedForm = html[html.IndexOf("<section id=\"closed-form\">", StringComparison.Ordinal)..];
        closedForm[..closedForm.IndexOf("</section>", StringComparison.Ordinal)].Should().Contain("<h2>Closed-form RC</h2>")
            .And.Contain("<p class=\"formula\">", "the data was given, so the best model is distilled to a formula");

        // A copy of the report with a script that measures, in the browser's own layout, the text of every chart in
        // the attribution section and writes the result into the page (the report itself has no script).
        var probe = wide.File("report-100-cvs-probe.html");
        System.IO.File.WriteAllText(probe, html.Replace("</body>", LabelCheckScript + "</body>", StringComparison.Ordinal));
        var dom = Chromium(wide.File, "--dump-dom", "--window-size=1200,3000", new Uri(probe).AbsoluteUri);

        var result = LabelCheck().Match(dom);
        result.Success.Should().BeTrue($"the label check script wrote its result; the page was:\n{dom[..Math.Min(dom.Length, 2000)]}");
        int charts = int.Parse(result.Groups["charts"].Value), labels = int.Parse(result.Groups["labels"].Value);
        int perAxis = int.Parse(result.Groups["axis"].Value), overlaps = int.Parse(result.Groups["overlaps"].Value);
        charts.Should().Be(2, "attribution per group of CVs and for the top CVs");
        perAxis.Should().BeInRange(20, 30, "the CV axis shows the top CVs of the 100, not all of them");
        labels.Should().BeGreaterThan(2 * 20);
        overlaps.Should().Be(0, $"no label is drawn over another; overlapping: {result.Groups["pairs"].Value}");
    }

    /// <summary>
    /// For each SVG in the attribution section: the most axis labels on one axis (row labels share their x, rotated column
    /// labels their y) and the pairs of non-empty text elements whose glyph boxes, as laid out and rotated, overlap by more
    /// than 1 px (separating-axis test on the transformed getBBox() corners).
    /// </summary>
    private const string LabelCheckScript = """
        <script>
        (function () {
          const svgs = [...document.querySelectorAll('#attribution svg')];
          let labels = 0, axis = 0, overlaps = 0; const pairs = [];
          const corners = t => {
            const b = t.getBBox(), m = t.getCTM();
            return [[b.x, b.y], [b.x + b.width, b.y], [b.x + b.width, b.y + b.height], [b.x, b.y + b.height]]
              .map(([x, y]) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f]);
          };
          const separated = (p, q) => {
            for (const poly of [p, q]) for (let i = 0; i < 4; i++) {
              const [x1, y1] = poly[i], [x2, y2] = poly[(i + 1) % 4];
              const len = Math.hypot(x2 - x1, y2 - y1); if (len === 0) continue;
              const nx = (y1 - y2) / len, ny = (x2 - x1) / len;
              const proj = r => r.map(([x, y]) => x * nx + y * ny);
              const a = proj(p), b = proj(q);
              if (Math.min(Math.max(...a), Math.max(...b)) - Math.max(Math.min(...a), Math.min(...b)) <= 1) return true;
            }
            return false;
          };
          for (const svg of svgs) {
            const texts = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim() !== '' && t.getBBox().width > 0);
            labels += texts.length;
            const count = {};
            for (const t of texts) {
              const key = t.hasAttribute('transform') ? 'y' + t.getAttribute('y')
                : t.getAttribute('text-anchor') === 'end' ? 'x' + t.getAttribute('x') : null;
              if (key !== null) axis = Math.max(axis, count[key] = (count[key] || 0) + 1);
            }
            const boxes = texts.map(corners);
            for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++)
              if (!separated(boxes[i], boxes[j])) { overlaps++; if (pairs.length < 5) pairs.push(texts[i].textContent + ' / ' + texts[j].textContent); }
          }
          const out = document.createElement('pre');
          out.id = 'label-check';
          out.textContent = `charts=${svgs.length} labels=${labels} axis=${axis} overlaps=${overlaps} pairs=${pairs.join('; ')}`;
          document.body.appendChild(out);
        })();
        </script>
        """;

    [GeneratedRegex(@"<pre id=""label-check"">charts=(?<charts>\d+) labels=(?<labels>\d+) axis=(?<axis>\d+) overlaps=(?<overlaps>\d+) pairs=(?<pairs>[^<]*)</pre>")]
    private static partial Regex LabelCheck();

    private static string Chromium(Func<string, string> file, params string[] args)
    {
        var profile = Directory.CreateDirectory(file($"chromium-profile-{Guid.NewGuid():N}")).FullName;
        var start = new ProcessStartInfo(ChromiumPath) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync", $"--user-data-dir={profile}" })
            start.ArgumentList.Add(a);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(45_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"chromium {string.Join(' ', args)} did not finish in 45 s; stderr:\n{stderr.Result}");
        }
        process.ExitCode.Should().Be(0, $"chromium {string.Join(' ', args)} failed; stderr:\n{stderr.Result}");
        return stdout.Result;
    }

    /// <summary>
    /// Width, height and the number of distinct colors of an 8-bit RGB or RGBA PNG (as Chromium writes): just enough
    /// decoding (IHDR, zlib-inflated IDAT, scanline filters) to tell a rendered page from a blank one.
    /// </summary>
    private static (int Width, int Height, int Colors) PngSummary(byte[] png)
    {
        int width = 0, height = 0, channels = 0;
        using var idat = new MemoryStream();
        for (int offset = 8; offset < png.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            var type = System.Text.Encoding.ASCII.GetString(png, offset + 4, 4);
            var body = png.AsSpan(offset + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(body);
                height = BinaryPrimitives.ReadInt32BigEndian(body[4..]);
                body[8].Should().Be(8, "8-bit channels");
                channels = body[9] switch { 2 => 3, 6 => 4, var t => throw new NotSupportedException($"PNG color type {t}") };
            }
            else if (type == "IDAT") idat.Write(body);
            offset += 12 + length;
        }
        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress)) zlib.CopyTo(inflated);
        var data = inflated.ToArray();

        int stride = width * channels;
        var previous = new byte[stride];
        var row = new byte[stride];
        var colors = new HashSet<int>();
        for (int y = 0; y < height; y++)
        {
            int filter = data[y * (stride + 1)];
            var raw = data.AsSpan(y * (stride + 1) + 1, stride);
            for (int i = 0; i < stride; i++)
            {
                int left = i >= channels ? row[i - channels] : 0, up = previous[i], upLeft = i >= channels ? previous[i - channels] : 0;
                row[i] = (byte)(raw[i] + filter switch
                {
                    0 => 0,
                    1 => left,
                    2 => up,
                    3 => (left + up) / 2,
                    4 => Paeth(left, up, upLeft),
                    _ => throw new InvalidDataException($"PNG filter {filter}"),
                });
            }
            for (int x = 0; x < width; x++) colors.Add(row[x * channels] << 16 | row[x * channels + 1] << 8 | row[x * channels + 2]);
            (previous, row) = (row, previous);
        }
        return (width, height, colors.Count);
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
