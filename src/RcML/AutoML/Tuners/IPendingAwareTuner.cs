namespace RcML.AutoML;

/// <summary>
/// A tuner that can be told about trials other workers are running, so its proposals steer away from them
/// (constant liar) before their results arrive through <see cref="ITuner.Update"/>.
/// </summary>
public interface IPendingAwareTuner
{
    /// <summary>Records a running trial of another worker; a later Update with the same id resolves it.</summary>
    void MarkPending(int trialId, Parameter parameter);
}
