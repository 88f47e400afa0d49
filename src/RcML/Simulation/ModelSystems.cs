namespace RcML.Simulation;

/// <summary>The built-in model systems, by name.</summary>
public static class ModelSystems
{
    private static readonly Dictionary<string, Func<IModelSystem>> Factories = new(StringComparer.OrdinalIgnoreCase)
    {
        ["muller-brown"] = () => new MullerBrownSystem(),
        ["double-well"] = () => new TiltedDoubleWellSystem(),
        ["three-well"] = () => new ThreeWellSystem(),
    };

    /// <summary>The valid names for <see cref="Get"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = Factories.Keys.ToArray();

    /// <summary>Creates the system registered under <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">The name is unknown; the message lists the valid names.</exception>
    public static IModelSystem Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Factories.TryGetValue(name.Trim(), out var create))
            return create();
        throw new ArgumentException(
            $"Unknown model system '{name}'. Valid names: {string.Join(", ", Names)}.", nameof(name));
    }
}
