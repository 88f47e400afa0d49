using FluentAssertions;
using RcML.Committor;
using RcML.Data;
using Microsoft.ML;
using Xunit;

namespace RcML.Tests.Data;

public class ShootingDataTests
{
    private readonly TempFolder _dir = new();

    private ShootingData Load(string csv, ShootingDataOptions? options = null) =>
        ShootingData.Load(_dir.File("data.csv", csv), options);

    private DataFormatException Fails(string csv, ShootingDataOptions? options = null)
    {
        var act = () => Load(csv, options);
        return act.Should().Throw<DataFormatException>().Which;
    }

    [Fact]
    public void Features_are_the_other_numeric_columns_without_id_and_references()
    {
        var data = Load("id,phi,psi,name,n_A,n_B,ref_committor\n1,10,20,a,3,1,0.2\n2,-170,5,b,0,4,0.9\n");
        data.FeatureNames.Should().Equal("phi", "psi");
        data.CountA.Should().Equal(3f, 0f);
        data.CountB.Should().Equal(1f, 4f);
        data.References["ref_committor"].Should().Equal(0.2f, 0.9f);
        data.Features.Should().OnlyContain(f => f.Kind == InputKind.Linear);
    }

    [Fact]
    public void Periodic_patterns_and_explicit_features_are_honoured()
    {
        var options = new ShootingDataOptions { Features = ["dih_*", "d1"], Periodic = ["dih_*"], PeriodicUnit = AngleUnit.Radians };
        var data = Load("dih_phi,dih_psi,d1,d2,n_A,n_B\n1,2,3,4,1,1\n", options);
        data.FeatureNames.Should().Equal("dih_phi", "dih_psi", "d1");
        data.Features.Select(f => f.Kind).Should().Equal(InputKind.PeriodicRadians, InputKind.PeriodicRadians, InputKind.Linear);
    }

    [Fact]
    public void Committor_estimates_with_weights_become_fractional_counts()
    {
        var options = new ShootingDataOptions { ProbabilityColumn = "p_B", WeightColumn = "n" };
        var data = Load("x,p_B,n\n0.5,0.25,8\n1.5,1,2\n", options);
        data.FeatureNames.Should().Equal("x");
        data.CountB.Should().Equal(2f, 2f);
        data.CountA.Should().Equal(6f, 0f);
    }

    [Fact]
    public void Data_view_has_scalar_single_columns()
    {
        var view = Load("x,y,n_A,n_B\n1,2,1,1\n3,4,2,0\n").ToDataView();
        view.Schema.Select(c => c.Name).Should().Equal("x", "y", "n_A", "n_B");
        var matrix = ShootingMatrix.FromDataView(
            new Microsoft.ML.MLContext().Transforms.Concatenate("Features", "x", "y").Fit(view).Transform(view), "Features", "n_A", "n_B");
        matrix.Features.Should().Equal(1f, 2f, 3f, 4f);
        matrix.CountA.Should().Equal(1f, 2f);
    }

    [Theory]
    [InlineData("x,n_A,n_B\n1,1,1\nnan,1,1\n", 3, "x", "NaN")]
    [InlineData("x,n_A,n_B\n1,1,1\ninf,1,1\n", 3, "x", "infinity")]
    [InlineData("x,n_A,n_B\n1,1,1\n2,-1,1\n", 3, "n_A", "non-negative")]
    [InlineData("x,n_A,n_B\n1,1,1\n2,0,0\n", 3, null, "at least one shot")]
    [InlineData("x,n_A,n_B\n1,1,1\n2,1\n", 3, null, "expected 3 comma-separated fields")]
    [InlineData("x,n_A,n_B\n1,1,1\nabc,1,1\n", 3, "x", "expected a finite number, found 'abc'")]
    [InlineData("x,n_A,n_B\n1,1,1\n2,one,1\n", 3, "n_A", "found 'one'")]
    public void Bad_values_are_reported_with_file_line_and_column(string csv, int line, string? column, string problem)
    {
        var error = Fails(csv);
        error.Line.Should().Be(line);
        error.Column.Should().Be(column);
        error.Message.Should().Contain(problem).And.Contain("data.csv");
    }

    [Fact]
    public void Missing_label_columns_name_what_is_there()
    {
        var error = Fails("x,y,nA\n1,2,3\n");
        error.Column.Should().Be("n_A");
        error.Message.Should().Contain("missing").And.Contain("x, y, nA");
    }

    [Fact]
    public void Empty_files_and_headers_without_rows_are_refused()
    {
        Fails("").Message.Should().Contain("empty");
        Fails("x,n_A,n_B\n").Message.Should().Contain("no data rows");
    }

    [Fact]
    public void A_single_outcome_class_is_refused_because_the_RC_is_unidentifiable()
    {
        Fails("x,n_A,n_B\n1,3,0\n2,5,0\n").Message.Should().Contain("every shot reached A").And.Contain("unidentifiable");
        Fails("x,n_A,n_B\n1,0,3\n2,0,5\n").Message.Should().Contain("every shot reached B");
    }

    [Fact]
    public void Probabilities_outside_0_1_and_unknown_patterns_are_refused()
    {
        Fails("x,p_B\n1,1.5\n", new ShootingDataOptions { ProbabilityColumn = "p_B" }).Message.Should().Contain("between 0 and 1");
        Fails("x,n_A,n_B\n1,1,1\n", new ShootingDataOptions { Periodic = ["phi*"] }).Message.Should().Contain("matches no feature");
        Fails("x,n_A,n_B\n1,1,1\n", new ShootingDataOptions { Features = ["y"] }).Message.Should().Contain("no column matches");
    }

    [Fact]
    public void Colvar_files_join_with_an_outcome_table_on_time()
    {
        var colvar = _dir.File("COLVAR", "#! FIELDS time phi psi\n#! SET min_phi -pi\n 0.0 -1.2 2.0\n 1.0 -1.0 2.1\n 2.0 0.5 -2.9\n");
        var outcomes = _dir.File("shots.csv", "time,n_A,n_B\n2,1,9\n0,7,3\n");
        var data = ShootingData.Load(colvar, new ShootingDataOptions { Periodic = ["phi", "psi"], PeriodicUnit = AngleUnit.Radians }, outcomes);
        data.FeatureNames.Should().Equal("phi", "psi");
        data.FeatureValues[0].Should().Equal(0.5f, -1.2f);
        data.CountB.Should().Equal(9f, 3f);

        var missing = _dir.File("bad.csv", "time,n_A,n_B\n5,1,1\n");
        var act = () => ShootingData.Load(colvar, null, missing);
        act.Should().Throw<DataFormatException>().WithMessage("*bad.csv:2*time*no row*");
    }
}
