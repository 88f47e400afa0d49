using System.Xml.Linq;
using FluentAssertions;
using RcML.AutoML;
using RcML.Reporting;
using RcML.Storage;
using Xunit;

namespace RcML.Tests.Reporting;

[Collection(ReportStudyCollection.Name)]
public class StudyReportTests(ReportStudyFixture study)
{
    [Fact]
    public void A_real_study_gives_every_section_with_wellformed_inline_svg_and_nothing_external()
    {
        var html = study.Html;
        foreach (var (id, title) in StudyReport.Sections)
            html.Should().Contain($"<section id=\"{id}\">\n<h2>{title}</h2>");
        html.Should().StartWith("<!DOCTYPE html>");
        System.IO.File.ReadAllText(study.ReportPath).Should().Be(html);

        var svgs = ReportHtml.ParseSvgs(html);
        // history, parallel coordinates, calibration, isocommittor histogram, q histogram, learning curve
        svgs.Should().HaveCount(6);
        svgs.Should().OnlyContain(svg => svg.Root!.Name == XName.Get("svg", "http://www.w3.org/2000/svg")
            && svg.Root.Element(XName.Get("title", "http://www.w3.org/2000/svg")) != null);
        ReportHtml.ExternalReferences(html).Should().BeEmpty();
    }

    [Fact]
    public void The_report_shows_the_studys_trials_best_model_and_placeholders_for_analysis_not_run()
    {
        var input = study.Input;
        input.Trials.Should().HaveCount(7);
        input.Trials.Should().Contain(t => t.State == TrialState.Pruned).And.Contain(t => t.State == TrialState.Failed);
        input.BestModel.Should().NotBeNull();
        input.BestModel!.TrialNumber.Should().Be(input.BestTrial!.Number);
        input.BestModel.InputColumns.Should().Equal("phi", "x", "noise");
        input.BestModel.Committor.Should().HaveCount(160).And.OnlyContain(p => p > 0 && p < 1);

        var html = study.Html;
        html.Should().Contain("1 failed").And.Contain("failed (no value)").And.Contain("pruned");
        html.Should().Contain($"(trial {input.BestTrial.Number})");
        html.Should().Contain("Top 3 trials");
        html.Should().Contain("diverged: loss is NaN", "a failed trial's error shows in its tooltip");
        foreach (var section in new[] { "importance", "modes", "attribution" })
            SectionOf(html, section).Should().Contain("class=\"placeholder\"").And.Contain("Not computed");
        SectionOf(html, "calibration").Should().Contain("perfect calibration").And.NotContain("class=\"placeholder\"");
        // Categorical axes are labelled with their choices.
        SectionOf(html, "parallel-coordinates").Should().Contain(">tanh</text>").And.Contain(">silu</text>");
    }

    [Fact]
    public void User_strings_are_escaped()
    {
        study.Html.Should().Contain("&lt;b&gt;not bold&lt;/b&gt; &amp; co").And.NotContain("<b>not bold</b>");
        var input = study.Input with
        {
            Study = study.Input.Study with { Name = "<script>alert(1)</script>" },
            Modes = new ModeTable([new TrialMode(new Parameter(new Dictionary<string, object> { ["activation"] = "<i>x</i>" }), [1], 0.5, 0.6)], "\"quoted\" <desc>"),
        };
        var html = StudyReport.Build(input);
        html.Should().NotContain("<script>").And.NotContain("<i>x</i>").And.NotContain("<desc>");
        html.Should().Contain("&lt;script&gt;alert(1)&lt;/script&gt;").And.Contain("&lt;i&gt;x&lt;/i&gt;");
        ReportHtml.ParseSvgs(html).Should().NotBeEmpty();
    }

    [Fact]
    public void Analysis_sections_render_when_provided()
    {
        var importance = new ImportanceSection(
            [("learning_rate", 0.6), ("layers", 0.1), ("activation", 0.3)],
            [
                new MarginalCurve("learning_rate", [1e-3, 3e-3, 1e-2, 3e-2], [0.6, 0.5, 0.45, 0.55], [0.05, 0.04, 0.03, 0.06], LogScale: true),
                new MarginalCurve("activation", [0, 1], [0.5, 0.52], [0.02, 0.03], Categories: ["tanh", "silu"]),
            ],
            "fANOVA, 32 trees");
        var modes = new ModeTable(
        [
            new TrialMode(new Parameter(new Dictionary<string, object> { ["layers"] = 2, ["learning_rate"] = 0.01, ["activation"] = "tanh" }), [3, 5, 8], 0.41, 0.43),
            new TrialMode(new Parameter(new Dictionary<string, object> { ["layers"] = 1, ["learning_rate"] = 0.002, ["activation"] = "silu" }), [1, 9], 0.44, 0.45),
        ], "top 20% of trials");
        var attribution = new AttributionHeatmap(["trial 3", "trial 5"], ["phi", "x", "noise"],
            new[,] { { 0.7, 0.25, 0.05 }, { 0.65, 0.3, 0.05 } }, "mean |∂q/∂CV|", "mean Spearman rank correlation 0.98");

        var input = study.Input with { Importance = importance, Modes = modes, Attribution = attribution };
        var html = StudyReport.Build(input);
        var path = study.File("report-with-analysis.html");
        StudyReport.Write(input, path);
        ReportStudyFixture.SaveArtifact(path);

        foreach (var section in new[] { "importance", "modes", "attribution" })
            SectionOf(html, section).Should().NotContain("class=\"placeholder\"");
        SectionOf(html, "importance").Should().Contain("fANOVA, 32 trees").And.Contain("Marginal effects").And.Contain("log10 learning_rate");
        SectionOf(html, "modes").Should().Contain("<td class=\"numbers\">3, 5, 8</td>").And.Contain("top 20% of trials");
        SectionOf(html, "attribution").Should().Contain("mean Spearman rank correlation 0.98").And.Contain("noise × trial 5: 0.05", "CVs are rows, models columns");
        ReportHtml.ParseSvgs(html).Should().HaveCount(6 + 3 + 1);
        ReportHtml.ExternalReferences(html).Should().BeEmpty();
    }

    [Fact]
    public void Numbers_are_written_the_same_in_every_culture()
    {
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            StudyReport.Build(study.Input).Should().Be(study.Html, "formatting must not depend on the current culture");
        }
        finally { System.Globalization.CultureInfo.CurrentCulture = culture; }
    }

    [Fact]
    public void A_mis_shaped_attribution_is_refused()
    {
        var bad = new AttributionHeatmap(["a"], ["x", "y"], new double[2, 2]);
        var act = () => StudyReport.Build(study.Input with { Attribution = bad });
        act.Should().Throw<ArgumentException>().WithMessage("*1 models × 2 CVs*");
    }

    [Fact]
    public void Without_data_or_study_the_report_says_why()
    {
        using var storage = StudyStorage.Open(study.StorageUrl);
        var input = StudyReportInput.FromStudy(storage, ReportStudyFixture.StudyName, dataPath: null);
        input.BestModel.Should().BeNull();
        var html = StudyReport.Build(input);
        SectionOf(html, "calibration").Should().Contain("no shooting data was given");
        SectionOf(html, "learning-curve").Should().Contain("<svg");

        var act = () => StudyReportInput.FromStudy(storage, "nope", null);
        act.Should().Throw<ArgumentException>().WithMessage("No study 'nope'*s1*");
    }

    private static string SectionOf(string html, string id)
    {
        int start = html.IndexOf($"<section id=\"{id}\">", StringComparison.Ordinal);
        start.Should().BeGreaterThanOrEqualTo(0, $"section {id} exists");
        return html[start..html.IndexOf("</section>", start, StringComparison.Ordinal)];
    }
}
