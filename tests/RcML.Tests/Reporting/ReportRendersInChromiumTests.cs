using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using FluentAssertions;
using RcML.Reporting;
using Xunit;

namespace RcML.Tests.Reporting;

/// <summary>Opens the report in headless Chromium: it must render (screenshot with real content) and show every section.</summary>
[Collection(ReportStudyCollection.Name)]
public class ReportRendersInChromiumTests(ReportStudyFixture study)
{
    private const string ChromiumPath = "/usr/bin/chromium";

    [Fact]
    public void The_report_renders_in_headless_chromium()
    {
        System.IO.File.Exists(ChromiumPath).Should().BeTrue($"{ChromiumPath} renders the report; install chromium (apt-get install -y chromium)");
        var url = new Uri(study.ReportPath).AbsoluteUri;

        var screenshot = study.File("report.png");
        Chromium($"--screenshot={screenshot}", "--window-size=1200,3000", url);
        System.IO.File.Exists(screenshot).Should().BeTrue("chromium wrote a screenshot");
        ReportStudyFixture.SaveArtifact(screenshot);
        new FileInfo(screenshot).Length.Should().BeGreaterThan(20_000, "a rendered report is not a blank page");
        var (width, height, colors) = PngSummary(System.IO.File.ReadAllBytes(screenshot));
        (width, height).Should().Be((1200, 3000));
        colors.Should().BeGreaterThan(50, "charts and text give many colors, a blank or failed page few");

        var dom = Chromium("--dump-dom", url);
        foreach (var (id, title) in StudyReport.Sections)
            dom.Should().Contain($"<section id=\"{id}\">").And.Contain($"<h2>{title}</h2>");
        dom.Split("<svg").Length.Should().Be(ReportHtml.ParseSvgs(study.Html).Count + 1, "every chart survives parsing by the browser");
    }

    private string Chromium(params string[] args)
    {
        var profile = Directory.CreateDirectory(study.File($"chromium-profile-{Guid.NewGuid():N}")).FullName;
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
