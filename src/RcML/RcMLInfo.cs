namespace RcML;

/// <summary>Facts about this build of RcML.</summary>
public static class RcMLInfo
{
    /// <summary>The library's version.</summary>
    public static string Version { get; } =
        typeof(RcMLInfo).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
