using System.Text;
using RcML.Committor;
using RcML.Data;
using RcML.Ensembles;
using RcML.Onnx;

namespace RcML.Export;

/// <summary>
/// Writes the PLUMED input that runs a committor network through PLUMED's <c>PYTORCH_MODEL</c> action (the pytorch
/// module; PLUMED built with libtorch) from a TorchScript file written by <see cref="TorchScriptExporter"/>: any network
/// size, derivatives by autograd.
/// </summary>
/// <remarks>
/// The model outputs [q, p_B]; PLUMED names a PYTORCH_MODEL's outputs <c>label.node-0</c>, <c>label.node-1</c>, so two
/// one-argument COMBINE actions give them the labels of <see cref="PlumedExportOptions"/> (<c>rc</c> = q, <c>pb</c> = p_B),
/// the same labels the CUSTOM-line form (<see cref="PlumedExporter"/>) defines. An ensemble's model also outputs the
/// members' standard deviation of p_B (node-2, label pb with "_std" appended).
/// </remarks>
public static class PlumedPytorchExporter
{
    /// <summary>The TorchScript settings the fragment expects: outputs q and p_B, angles in <paramref name="angles"/> (null: the training data's unit).</summary>
    public static TorchScriptExportOptions ModelOptions(AngleUnit? angles) => new() { Angles = angles, IncludeCommittor = true };

    /// <summary>The PLUMED input text.</summary>
    /// <param name="spec">The network.</param>
    /// <param name="modelFile">The TorchScript file as PLUMED should open it (relative to where PLUMED runs).</param>
    /// <param name="angles">The unit the TorchScript file takes periodic inputs in (null: the training data's).</param>
    /// <param name="options">Labels (the degree option of the CUSTOM-line form does not apply here).</param>
    /// <exception cref="ArgumentException">A CV name is not a PLUMED label or clashes with the labels defined.</exception>
    public static string Export(CommittorNetworkSpec spec, string modelFile, AngleUnit? angles = AngleUnit.Radians, PlumedExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Export(new CommittorEnsembleSpec { Members = [spec] }, modelFile, angles, options);
    }

    /// <summary>The PLUMED input text for an ensemble (one member: as for that network).</summary>
    /// <param name="ensemble">The member networks.</param>
    /// <param name="modelFile">The TorchScript file as PLUMED should open it (relative to where PLUMED runs).</param>
    /// <param name="angles">The unit the TorchScript file takes periodic inputs in (null: the training data's).</param>
    /// <param name="options">Labels (the degree option of the CUSTOM-line form does not apply here).</param>
    /// <exception cref="ArgumentException">A CV name is not a PLUMED label or clashes with the labels defined.</exception>
    public static string Export(CommittorEnsembleSpec ensemble, string modelFile, AngleUnit? angles = AngleUnit.Radians, PlumedExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelFile);
        if (modelFile.Any(c => char.IsWhiteSpace(c) || c is '=' or '#' or '{' or '}'))
            throw new ArgumentException($"The model file name '{modelFile}' cannot be written in a PLUMED input (no spaces, '=', '#', braces).");
        options ??= new PlumedExportOptions();
        ensemble.Validate();
        foreach (var member in ensemble.Members)
        {
            CommittorNetworkLayout.Validate(member);
            PlumedExporter.CheckLabels(member, options);
        }
        var spec = ensemble.Members[0];
        string spread = options.CommittorLabel + "_std";

        string model = options.LabelPrefix + "model";
        var text = new StringBuilder();
        text.Append("# Committor network exported by RcML ").Append(RcMLInfo.Version).Append(" as TorchScript (").Append(modelFile).Append(").\n");
        text.Append("# Needs PLUMED built with libtorch (the pytorch module). Outputs:\n");
        text.Append($"#   {options.ReactionCoordinateLabel} = q, the reaction coordinate (logit of the committor; {model}.node-0)\n");
        text.Append($"#   {options.CommittorLabel} = p_B = 1/(1+exp(-q)), the committor ({model}.node-1)\n");
        if (ensemble.Members.Count > 1)
        {
            text.Append($"#   q = logit of the mean p_B of an ensemble of {ensemble.Members.Count} networks;\n");
            text.Append($"#   {spread} = the members' standard deviation of p_B ({model}.node-2)\n");
        }
        text.Append("# ARG lists the CVs in the order the network reads them; define these labels before this block, in these units:\n");
        foreach (var input in spec.Inputs)
        {
            string unit = TorchScriptExporter.Unit(input.Kind, angles) switch
            {
                "radians" => "periodic, radians (PLUMED's TORSION unit)",
                "degrees" => "periodic, DEGREES (PLUMED's TORSION gives radians: convert, or export with radians)",
                var other => other,
            };
            text.Append($"#   {input.Name}: {unit}\n");
        }
        text.Append($"{model}: PYTORCH_MODEL FILE={modelFile} ARG={string.Join(',', spec.Inputs.Select(i => i.Name))}\n");
        text.Append($"{options.ReactionCoordinateLabel}: COMBINE ARG={model}.node-0 PERIODIC=NO\n");
        text.Append($"{options.CommittorLabel}: COMBINE ARG={model}.node-1 PERIODIC=NO\n");
        if (ensemble.Members.Count > 1)
            text.Append($"{spread}: COMBINE ARG={model}.node-2 PERIODIC=NO\n");
        return text.ToString();
    }
}
