using System.Globalization;
using System.Text;
using Microsoft.ML;
using RcML.AutoML;
using RcML.Committor;
using RcML.Data;
using RcML.Reporting;
using RcML.Storage;
using Xunit;

namespace RcML.Tests.Reporting;

/// <summary>
/// A tiny real study on 100 CVs (three short trainings on synthetic shooting data where a few CVs matter and several
/// move together), its report built with every analysis, as <c>rcml report --data</c> makes it.
/// </summary>
public sealed class WideReportStudyFixture : IAsyncLifetime
{
    public const int Cvs = 100;
    private readonly TempFolder _dir = new();

    public StudyReportInput Input { get; private set; } = null!;
    public string ReportPath { get; private set; } = "";

    public string File(string name) => _dir.File(name);

    public async Task InitializeAsync()
    {
        var dataPath = WriteData(_dir.File("wide.csv"), rows: 200);
        var data = ShootingData.Load(dataPath, new ShootingDataOptions());
        var ml = new MLContext(seed: 1);
        var space = new SearchSpace()
            .AddInt("nodes_1", 4, 8)
            .AddFloat("learning_rate", 1e-2, 3e-2, log: true);
        using var storage = StudyStorage.Open("sqlite:///" + _dir.File("wide.db"));
        await TestStudies.Experiment(ml, data, space, new CommittorTrainerOptions { MaxEpochs = 8, Patience = 8 },
                storage, "wide", new Dictionary<string, string> { ["data"] = dataPath })
            .SetTuner((s, seed) => new RandomSearchTuner(s, seed))
            .SetSeed(5)
            .SetMaxTrials(3)
            .RunAsync();
        Input = StudyReportInput.FromStudy(storage, "wide", dataPath, top: 3).WithAnalysis(storage, dataPath);
        ReportPath = _dir.File("report-100-cvs.html");
        StudyReport.Write(Input, ReportPath);
        ReportStudyFixture.SaveArtifact(ReportPath);
    }

    /// <summary>
    /// cv_1..cv_100: p_B = sigmoid(2 cv_1 + 1.5 cv_2 - cv_3); cv_4..cv_12 are noisy copies of cv_1 (one group), the rest noise.
    /// </summary>
    private static string WriteData(string path, int rows, int shots = 10)
    {
        var random = new Random(7);
        var text = new StringBuilder("id,").Append(string.Join(",", Enumerable.Range(1, Cvs).Select(i => $"cv_{i}"))).Append(",n_A,n_B\n");
        var x = new double[Cvs];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < Cvs; c++) x[c] = random.NextDouble() * 4 - 2;
            for (int c = 3; c < 12; c++) x[c] = x[0] + 0.1 * (random.NextDouble() - 0.5);
            double p = 1 / (1 + Math.Exp(-(2 * x[0] + 1.5 * x[1] - x[2])));
            int b = 0;
            for (int s = 0; s < shots; s++) if (random.NextDouble() < p) b++;
            text.Append(r.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(string.Join(",", x.Select(v => v.ToString("F4", CultureInfo.InvariantCulture))))
                .Append(CultureInfo.InvariantCulture, $",{shots - b},{b}\n");
        }
        System.IO.File.WriteAllText(path, text.ToString());
        return path;
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }
}
