using Microsoft.ML;
using RcML.Data;

namespace RcML.Tests.AutoML;

/// <summary>Tests that tune on <see cref="TestStudies.Data"/>: a temporary folder, a seeded MLContext and the data in it.</summary>
public abstract class SmallStudyTests : IDisposable
{
    private protected readonly TempFolder _dir = new();
    private protected readonly MLContext _ml = new(seed: 1);
    private protected readonly ShootingData _data;

    protected SmallStudyTests()
    {
        _data = TestStudies.Data(_dir.File("shots.csv"));
    }

    public void Dispose()
    {
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }
}
